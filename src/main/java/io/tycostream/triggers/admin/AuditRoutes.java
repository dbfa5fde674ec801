package io.tycostream.triggers.admin;

import io.tycostream.triggers.store.AuditQuery;
import io.tycostream.triggers.store.AuditStore;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Objects;

/**
 * {@value #AUDIT}: the audit log, newest first, paged with an opaque cursor ({@code limit} 1..{@value #MAX_LIMIT},
 * default {@value #DEFAULT_LIMIT}), filtered by {@code target}, {@code actor} and {@code action} (exact values).
 * Admin role ({@link ApiAuthHandler}). Handlers run on the admin event loop and never block; pages are rendered on
 * the {@code renderer} pool.
 */
final class AuditRoutes {

  static final String AUDIT = "/api/v1/audit";
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private final AuditStore audit;
  private final WorkerExecutor renderer;

  AuditRoutes(AuditStore audit, WorkerExecutor renderer) {
    this.audit = Objects.requireNonNull(audit, "audit");
    this.renderer = Objects.requireNonNull(renderer, "renderer");
  }

  void mount(Router router) {
    router.get(AUDIT).handler(this::list);
  }

  private void list(RoutingContext ctx) {
    AuditQuery query;
    try {
      query = new AuditQuery(QueryParameters.text(ctx, "target"), QueryParameters.text(ctx, "actor"),
          QueryParameters.text(ctx, "action"), HistoryCursors.audit(QueryParameters.text(ctx, PageCursor.PARAMETER)),
          QueryParameters.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT));
    } catch (RuntimeException e) {
      TriggerRoutes.fail(ctx, e);
      return;
    }
    audit.list(query)
        .compose(page -> renderer.executeBlocking(() -> HistoryJson.audit(page).toBuffer(), false))
        .onSuccess(body -> TriggerRoutes.ok(ctx, body))
        .onFailure(failure -> TriggerRoutes.fail(ctx, failure));
  }
}
