package io.tycostream.triggers.admin;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;

import java.util.List;
import java.util.Set;

/**
 * CORS for the API when {@code admin.cors_allowed_origins} lists origins (without it, no CORS header is ever sent and
 * this handler is not mounted). A request from a listed origin, exactly as the browser sends it, goes through
 * vertx-web's {@link CorsHandler} (preflights answered, {@code Access-Control-Allow-Origin} echoing that one origin,
 * never {@code *}, no credentials mode: the API key travels in the {@code Authorization} header, not in cookies). Any
 * other request, same-origin or from an unlisted origin, passes untouched and without CORS headers, so a browser
 * keeps unlisted pages from reading answers, as it does when nothing is configured.
 * <p>
 * Mount before authentication: a preflight carries no credentials.
 */
final class CrossOriginPolicy implements Handler<RoutingContext> {

  static final int PREFLIGHT_MAX_AGE_SECONDS = 600;

  private final Set<String> origins;
  private final CorsHandler cors;

  CrossOriginPolicy(List<String> origins) {
    this.origins = Set.copyOf(origins);
    this.cors = CorsHandler.create()
        .addOrigins(List.copyOf(origins))
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE))
        .allowedHeaders(Set.of("content-type", "authorization", RequestIds.HEADER.toLowerCase()))
        .exposedHeaders(Set.of("location", RequestIds.HEADER.toLowerCase()))
        .allowCredentials(false)
        .maxAgeSeconds(PREFLIGHT_MAX_AGE_SECONDS);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String origin = ctx.request().getHeader("origin");
    if (origin != null && origins.contains(origin)) {
      cors.handle(ctx);
    } else {
      ctx.next();
    }
  }
}
