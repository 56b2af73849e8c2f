package io.rollcall.schema;

/** A series id in text or key form that is not a valid unsigned 64-bit id. */
public final class InvalidSeriesIdException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidSeriesIdException(String message) {
        super(message);
    }
}
