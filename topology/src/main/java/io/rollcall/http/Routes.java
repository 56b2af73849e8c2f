package io.rollcall.http;

import io.javalin.config.RoutesConfig;

/** The endpoints of one resource: each class registers its paths and delegates to a query service. */
interface Routes {

    void register(RoutesConfig routes);
}
