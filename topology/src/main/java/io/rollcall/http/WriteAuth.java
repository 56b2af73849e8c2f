package io.rollcall.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Writes need {@code Authorization: Bearer <rollcall.api.token>}, or the same token in the body
 * where a caller cannot send headers. The digests of the two tokens are compared in constant
 * time, so response timing tells nothing of the token.
 */
final class WriteAuth {

    /** SHA-256 of the token that allows writes; null: writes disabled. */
    private final byte[] token;

    /** @param token the bearer token that allows writes; null disables them */
    WriteAuth(String token) {
        this.token = token == null ? null : sha256(token);
    }

    /** Returns when the request may write; otherwise throws {@link Refused} (401 or 403). */
    void authorize(Context ctx) {
        requireEnabled();
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"rollcall\"");
            throw new Refused(401, "a bearer token is required: send 'Authorization: Bearer <token>'");
        }
        check(header.substring(7).strip(), "the bearer token");
    }

    /**
     * For callers that cannot send headers (Flagger's webhooks): the token in a field of the
     * body, checked like the bearer token.
     *
     * @param field where the token was expected, for the error ("metadata.token")
     */
    void authorize(String presented, String field) {
        requireEnabled();
        if (presented == null || presented.isEmpty()) {
            throw new Refused(401, field + ": required, the write token (rollcall.api.token)");
        }
        check(presented, field);
    }

    private void requireEnabled() {
        if (token == null) {
            throw new Refused(403, "writes are disabled on this instance: set rollcall.api.token (ROLLCALL_API_TOKEN)");
        }
    }

    private void check(String presented, String what) {
        if (!MessageDigest.isEqual(sha256(presented), token)) {
            throw new Refused(403, what + " is not valid for writes");
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
