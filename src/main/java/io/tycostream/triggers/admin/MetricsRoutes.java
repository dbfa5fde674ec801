package io.tycostream.triggers.admin;

import io.tycostream.triggers.metrics.ServiceMetrics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Objects;

/**
 * {@code GET /metrics}: every meter of this node ({@link ServiceMetrics}) in the Prometheus text format, version
 * 0.0.4. In a cluster each node serves its own. The text is rendered on a worker thread: a scrape reads gauges that
 * only read snapshots (none queries the store), but the rendering of a few thousand series is not event-loop work.
 * With {@code metrics.require_auth} the request passes the API's key check first (any role reads); otherwise the
 * endpoint is open, like {@code /health}.
 */
final class MetricsRoutes {

  static final String METRICS_PATH = "/metrics";
  /** The content type Prometheus expects for the text format. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final ServiceMetrics metrics;

  MetricsRoutes(ServiceMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** @param auth the API's key check to pass first, or {@code null} to serve every client */
  void mount(Router router, Handler<RoutingContext> auth) {
    if (auth != null) {
      router.get(METRICS_PATH).handler(auth);
    }
    router.get(METRICS_PATH).handler(this::scrape);
  }

  private void scrape(RoutingContext ctx) {
    ctx.vertx().executeBlocking(metrics::scrape, false)
        .onSuccess(text -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE).end(text))
        .onFailure(ctx::fail);
  }
}
