package io.rollcall.http;

import io.javalin.http.Context;
import io.rollcall.query.Answer;

/** How every route answers: a value, a relayed answer, or an {@link ApiError}. */
final class Replies {

    /** What a 503 tells clients to wait before retrying, in seconds. */
    static final String RETRY_AFTER_SECONDS = "1";

    private Replies() {
    }

    /** @param what names the thing looked up, for the 404 message ("series 42") */
    static <T> void answer(Context ctx, Answer<T> answer, String what) {
        if (answer instanceof Answer.Local<T> local) {
            ctx.json(local.value());
        } else if (answer instanceof Answer.Forwarded<T> forwarded) {
            ctx.status(forwarded.status()).contentType("application/json").result(forwarded.body());
            if (forwarded.status() == 503) {
                ctx.header("Retry-After", RETRY_AFTER_SECONDS);
            }
        } else if (answer instanceof Answer.NotFound<T> notFound) {
            error(ctx, 404, what + " not found (asked " + notFound.served().instance() + ")");
        } else if (answer instanceof Answer.NotReady<T> notReady) {
            notReady(ctx, notReady.reason());
        }
    }

    static void notReady(Context ctx, String reason) {
        ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        error(ctx, 503, notReadyMessage(reason));
    }

    static String notReadyMessage(String reason) {
        return "not queryable now, retry shortly: " + reason;
    }

    static void error(Context ctx, int status, String message) {
        ctx.status(status).json(new ApiError(status, message));
    }
}
