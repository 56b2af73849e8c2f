package io.rollcall.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.rollcall.query.Json;
import io.rollcall.query.Cursor;
import io.rollcall.query.Forwarder;
import io.rollcall.query.ReadOptions;
import io.rollcall.schema.InvalidSeriesIdException;
import io.rollcall.schema.SeriesId;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses request parameters; anything malformed becomes a {@link BadRequest} naming the
 * parameter. Each parser reads the raw text (null or empty: absent), and a one-line overload
 * takes it from the request.
 */
final class Params {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** More partitions than a topic can sensibly have; bounds the work of one internal scan request. */
    private static final int MAX_PARTITIONS = 1024;

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
        return optionalId(name, ctx.queryParam(name), fallback);
    }

    static SeriesId optionalId(String name, String text, SeriesId fallback) {
        return absent(text) ? fallback : id(name, text);
    }

    static Instant time(Context ctx, String name, Instant fallback) {
        return time(name, ctx.queryParam(name), fallback);
    }

    /** ISO-8601 instant ({@code 2026-11-26T10:00:00Z}) or epoch milliseconds. */
    static Instant time(String name, String text, Instant fallback) {
        if (absent(text)) {
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
        return limit(ctx.queryParam("limit"));
    }

    static int limit(String text) {
        if (absent(text)) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadRequest("limit: must be an integer within 1.." + MAX_LIMIT + ", got '"
                    + abbreviate(text, 40) + "'");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequest("limit: must be within 1.." + MAX_LIMIT + ", got " + text);
        }
        return limit;
    }

    static SeriesId cursor(Context ctx) {
        return cursor(ctx.queryParam("cursor"));
    }

    /** The id after which a page starts; null: from the start. */
    static SeriesId cursor(String text) {
        if (absent(text)) {
            return null;
        }
        try {
            return Cursor.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("cursor: " + e.getMessage());
        }
    }

    static boolean flag(Context ctx, String name) {
        return flag(name, ctx.queryParam(name));
    }

    static boolean flag(String name, String text) {
        if (absent(text)) {
            return false;
        }
        return switch (text) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new BadRequest(name + ": must be true or false, got '" + abbreviate(text, 40) + "'");
        };
    }

    static ReadOptions readOptions(Context ctx) {
        return new ReadOptions(flag(ctx, "fresh"), ctx.header(Forwarder.HEADER) != null, flag(ctx, "standby"));
    }

    /** This request's path and query, to forward it unchanged. */
    static String pathAndQuery(Context ctx) {
        return pathAndQuery(ctx.path(), ctx.queryString());
    }

    static String pathAndQuery(String path, String query) {
        return path + (absent(query) ? "" : "?" + query);
    }

    static String service(Context ctx) {
        return service(ctx.pathParam("service"));
    }

    /** A service name: 1–256 characters, no control characters. */
    static String service(String service) {
        if (service.isEmpty() || service.length() > 256) {
            throw new BadRequest("service: must be 1 to 256 characters");
        }
        if (service.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequest("service: must not contain control characters");
        }
        return service;
    }

    static List<Integer> partitions(Context ctx) {
        return partitions(ctx.queryParam("partitions"));
    }

    /** A required comma-separated list of partition numbers, e.g. {@code 0,3,5}. */
    static List<Integer> partitions(String text) {
        if (absent(text)) {
            throw new BadRequest("partitions: required, e.g. 0,3,5");
        }
        List<Integer> partitions = new ArrayList<>();
        for (String part : text.split(",", MAX_PARTITIONS)) {
            try {
                partitions.add(Integer.parseInt(part));
            } catch (NumberFormatException e) {
                throw new BadRequest("partitions: not a list of partition numbers");
            }
        }
        return partitions;
    }

    /** {@code text} as one URL path segment. */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static JsonNode jsonBody(Context ctx) {
        return jsonBody(ctx.body());
    }

    /** A request body as JSON; 400 when it is blank or not JSON. */
    static JsonNode jsonBody(String body) {
        if (body.isBlank()) {
            throw new BadRequest("body: a JSON object is required");
        }
        try {
            return Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("body: " + e.getMessage());
        }
    }

    private static boolean absent(String text) {
        return text == null || text.isEmpty();
    }

    /** At most {@code max} characters of a text echoed in an error, so a huge input is not sent back. */
    static String abbreviate(String text, int max) {
        return text.length() > max ? text.substring(0, max) + "…" : text;
    }
}
