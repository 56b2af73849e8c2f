package io.rollcall.http;

/** A request refused with a 4xx other than 400 (401, 403, 413, …); answered with the status and message. */
final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    Refused(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
