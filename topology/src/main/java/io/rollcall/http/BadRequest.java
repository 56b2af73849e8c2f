package io.rollcall.http;

/** A malformed parameter; answered with 400 and the message. */
final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
        super(message, null, false, false);
    }
}
