package io.rollcall.http;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code /openapi.json}: the OpenAPI 3.1 description of this API, served as it is in the jar,
 * where it is the one copy (its tests check it against the routes and live answers).
 */
final class OpenApiRoutes implements Routes {

    static final String PATH = "/openapi.json";
    /** The document on the class path. */
    static final String RESOURCE = "/io/rollcall/http/openapi.json";

    private final byte[] document;

    OpenApiRoutes() {
        this.document = read();
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(PATH, ctx -> ctx.contentType("application/json").result(document));
    }

    static byte[] read() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
