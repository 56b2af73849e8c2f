package io.rollcall.schema.registry;

/** The registry answered that it has no schema with the id a record carries. */
public final class UnknownSchemaIdException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownSchemaIdException(int id, String detail) {
        super("the schema registry has no schema with id " + id + (detail == null ? "" : ": " + detail));
    }
}
