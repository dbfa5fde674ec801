package io.tycostream.triggers.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Objects;
import java.util.function.Function;

/**
 * The API's own description: {@value #DOCUMENT_PATH} (the OpenAPI 3.1 document as JSON) and {@value #PAGE_PATH} (a
 * page rendering it), both from the jar ({@link OpenApiDocument}). Mounted before authentication: like the README,
 * they hold no secret and tell a client how to authenticate, so they need no API key (the {@code Host} check and
 * CORS still apply).
 * <p>
 * The resources are read once, on a worker thread, at the first request; handlers run on the admin event loop.
 */
final class OpenApiRoutes {

  static final String DOCUMENT_PATH = "/api/v1/openapi.json";
  static final String PAGE_PATH = "/api/v1/docs";

  private final Vertx vertx;
  /** Confined to the admin verticle's event loop. */
  private Future<OpenApiDocument> document;

  OpenApiRoutes(Vertx vertx) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
  }

  void mount(Router router) {
    router.get(DOCUMENT_PATH).handler(ctx -> answer(ctx, OpenApiDocument::json, "application/json; charset=utf-8"));
    router.get(PAGE_PATH).handler(ctx -> answer(ctx, OpenApiDocument::page, "text/html; charset=utf-8"));
  }

  private void answer(RoutingContext ctx, Function<OpenApiDocument, Buffer> part, String contentType) {
    if (document == null || document.failed()) {
      document = vertx.executeBlocking(OpenApiDocument::load, false);
    }
    document.map(part)
        .onSuccess(body -> ctx.response().putHeader("content-type", contentType)
            .putHeader("cache-control", "no-cache").end(body))
        .onFailure(failure -> TriggerRoutes.fail(ctx, failure));
  }
}
