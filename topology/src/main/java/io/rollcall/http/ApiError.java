package io.rollcall.http;

/** The body of every error answer: {@code {"status": 400, "error": "..."}}. Never a stack trace. */
public record ApiError(int status, String error) {
}
