package io.tycostream.triggers.admin;

import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.store.Store;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Objects;

/**
 * {@code GET /api/v1/triggers/{name}/matches}: the keys a trigger holds as matched now, with their last row, in key
 * order, paged with an opaque cursor ({@code limit} 1..{@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}). Each
 * page is read in one snapshot with the source's checkpoint and reports it as {@code committed_frontier}: the page is
 * the state as of that frontier (later pages may reflect a later one). Handlers run on the admin event loop and
 * never block; pages are rendered on the {@code renderer} pool.
 */
final class MatchRoutes {

  static final String MATCHES = TriggerRoutes.TRIGGER + "/matches";
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1_000;

  private final Store store;
  private final WorkerExecutor renderer;

  MatchRoutes(Store store, WorkerExecutor renderer) {
    this.store = Objects.requireNonNull(store, "store");
    this.renderer = Objects.requireNonNull(renderer, "renderer");
  }

  void mount(Router router) {
    router.get(MATCHES).handler(this::list);
  }

  private void list(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    int limit;
    String afterKey;
    try {
      limit = QueryParameters.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
      afterKey = HistoryCursors.key(QueryParameters.text(ctx, PageCursor.PARAMETER));
    } catch (ServiceException e) {
      TriggerRoutes.fail(ctx, e);
      return;
    }
    store.getTrigger(name)
        .compose(found -> found.isPresent()
            ? store.history().listMatches(name, found.get().source(), afterKey, limit)
            : Future.failedFuture(TriggerRoutes.notFound(name)))
        .compose(page -> renderer.executeBlocking(() -> HistoryJson.matches(name, page).toBuffer(), false))
        .onSuccess(body -> TriggerRoutes.ok(ctx, body))
        .onFailure(failure -> TriggerRoutes.fail(ctx, failure));
  }
}
