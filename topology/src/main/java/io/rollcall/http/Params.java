package io.rollcall.http;

import io.javalin.http.Context;
import io.rollcall.query.Cursor;
import io.rollcall.query.ReadOptions;
import io.rollcall.query.Forwarder;
import io.rollcall.schema.InvalidSeriesIdException;
import io.rollcall.schema.SeriesId;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Parses request parameters; anything malformed becomes a {@link BadRequest} naming the parameter. */
final class Params {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private Params() {
    }

    static SeriesId id(Context ctx) {
        return id("id", ctx.pathParam("id"));
    }

    static SeriesId id(String name, String text) {
        try {
            return SeriesId.parse(text);
        } catch (InvalidSeriesIdException e) {
            throw new BadRequest(name + ": " + e.getMessage());
        }
    }

    static SeriesId optionalId(Context ctx, String name, SeriesId fallback) {
        String text = ctx.queryParam(name);
        return text == null || text.isEmpty() ? fallback : id(name, text);
    }

    /** ISO-8601 instant ({@code 2026-11-26T10:00:00Z}) or epoch milliseconds. */
    static Instant time(Context ctx, String name, Instant fallback) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        if (text.length() > 40) {
            throw new BadRequest(name + ": not a time (too long)");
        }
        try {
            if (text.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(text));
            }
            return Instant.parse(text);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new BadRequest(name + ": '" + text + "' is neither ISO-8601 (2026-11-26T10:00:00Z) nor epoch milliseconds");
        }
    }

    static int limit(Context ctx) {
        String text = ctx.queryParam("limit");
        if (text == null || text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new BadRequest("limit: must be within 1.." + MAX_LIMIT + ", got " + text);
            }
            return limit;
        } catch (NumberFormatException e) {
            throw new BadRequest("limit: must be an integer within 1.." + MAX_LIMIT + ", got '" + abbreviate(text) + "'");
        }
    }

    static SeriesId cursor(Context ctx) {
        String text = ctx.queryParam("cursor");
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Cursor.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("cursor: " + e.getMessage());
        }
    }

    static boolean flag(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            return false;
        }
        return switch (text) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new BadRequest(name + ": must be true or false, got '" + abbreviate(text) + "'");
        };
    }

    static ReadOptions readOptions(Context ctx) {
        return new ReadOptions(flag(ctx, "fresh"), ctx.header(Forwarder.HEADER) != null, flag(ctx, "standby"));
    }

    /** This request's path and query, to forward it unchanged. */
    static String pathAndQuery(Context ctx) {
        String query = ctx.queryString();
        return ctx.path() + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    /** The {service} path parameter: 1–256 characters, no control characters. */
    static String service(Context ctx) {
        String service = ctx.pathParam("service");
        if (service.isEmpty() || service.length() > 256) {
            throw new BadRequest("service: must be 1 to 256 characters");
        }
        if (service.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequest("service: must not contain control characters");
        }
        return service;
    }

    /** {@code text} as one URL path segment. */
    static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The request body as JSON; 400 when it is not. */
    static com.fasterxml.jackson.databind.JsonNode jsonBody(Context ctx) {
        String body = ctx.body();
        if (body.isBlank()) {
            throw new BadRequest("body: a JSON object is required");
        }
        try {
            return io.rollcall.app.Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("body: " + e.getMessage());
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
