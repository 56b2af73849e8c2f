package io.rollcall.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one JSON mapper of the HTTP API and its clients. */
public final class Json {

    private Json() {
    }

    private static final ObjectMapper SHARED = mapper();

    /** A JSON text as a tree; for answers relayed from other instances. */
    public static JsonNode parse(String text) {
        try {
            return SHARED.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static ObjectMapper mapper() {
        return new ObjectMapper()
                // Newer instances may add fields; older ones reading their answers must not fail.
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }
}
