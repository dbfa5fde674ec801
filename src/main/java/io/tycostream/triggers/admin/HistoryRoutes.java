package io.tycostream.triggers.admin;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.json.ExactJson;
import io.tycostream.triggers.store.EventQuery;
import io.tycostream.triggers.store.SuppressedReason;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredEvent;
import io.tycostream.triggers.trigger.CanonicalKey;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A trigger's event history: {@code GET /api/v1/triggers/{name}/events} pages newest first with an opaque cursor
 * ({@code limit} 1..{@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}; filters {@code status}, {@code type},
 * {@code key}, {@code from}, {@code to}, {@code suppressed_reason}), and {@code GET …/events/{event_id}} shows one event with every attempt.
 * Bad filter values are answered 400 naming the parameter. Pages are rendered on the {@code renderer} pool.
 * Handlers run on the admin event loop and never block.
 */
final class HistoryRoutes {

  static final String EVENTS = TriggerRoutes.TRIGGER + "/events";
  static final String EVENT = EVENTS + "/:event_id";
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private final Store store;
  private final WorkerExecutor renderer;

  HistoryRoutes(Store store, WorkerExecutor renderer) {
    this.store = Objects.requireNonNull(store, "store");
    this.renderer = Objects.requireNonNull(renderer, "renderer");
  }

  void mount(Router router) {
    router.get(EVENTS).handler(this::list);
    router.get(EVENT).handler(this::get);
  }

  private void list(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    EventQuery query;
    try {
      query = query(ctx, name);
    } catch (ServiceException e) {
      TriggerRoutes.fail(ctx, e);
      return;
    }
    store.getTrigger(name)
        .compose(found -> found.isPresent() ? store.history().listEvents(query)
            : Future.failedFuture(TriggerRoutes.notFound(name)))
        .compose(page -> renderer.executeBlocking(() -> HistoryJson.events(page).toBuffer(), false))
        .onSuccess(body -> TriggerRoutes.ok(ctx, body))
        .onFailure(failure -> TriggerRoutes.fail(ctx, failure));
  }

  private void get(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    String eventId = ctx.pathParam("event_id");
    store.getEvent(eventId)
        .compose(found -> found.isPresent() && found.get().triggerName().equals(name)
            ? withAttempts(found.get())
            : Future.failedFuture(new ServiceException(ErrorCode.NOT_FOUND,
                "trigger '" + name + "' has no event '" + eventId + "'", "event_id")))
        .onSuccess(json -> TriggerRoutes.ok(ctx, json))
        .onFailure(failure -> TriggerRoutes.fail(ctx, failure));
  }

  /**
   * The event with its attempts, {@code dead_reason} when it is dead ({@code attempts_exhausted}, …) and, for an
   * event sent in a batch, the id of its (latest) batch.
   */
  private Future<JsonObject> withAttempts(StoredEvent event) {
    Future<Optional<String>> deadReason = event.status() == EventStatus.DEAD
        ? store.expiry().deadReason(event.eventId()) : Future.succeededFuture(Optional.empty());
    Future<Optional<String>> batch = store.batches().batchOf(event.eventId());
    return Future.all(store.listAttempts(event.eventId()), deadReason, batch).map(all -> {
      JsonObject json = HistoryJson.event(event, all.resultAt(0));
      deadReason.result().ifPresent(why -> json.put("dead_reason", why));
      batch.result().ifPresent(id -> json.put("batch_id", id));
      return json;
    });
  }

  private static EventQuery query(RoutingContext ctx, String name) {
    int limit = QueryParameters.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
    Instant from = QueryParameters.instant(ctx, "from");
    Instant to = QueryParameters.instant(ctx, "to");
    if (from != null && to != null && !from.isBefore(to)) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, "from must be before to", "from");
    }
    return new EventQuery(name, status(QueryParameters.text(ctx, "status")),
        type(QueryParameters.text(ctx, "type")), key(QueryParameters.text(ctx, "key")), from, to,
        HistoryCursors.event(QueryParameters.text(ctx, PageCursor.PARAMETER)), limit,
        suppressedReason(QueryParameters.text(ctx, "suppressed_reason")));
  }

  /** {@code debug}, {@code cooldown} or {@code deliver_if} (#11): only events suppressed for that reason. */
  private static SuppressedReason suppressedReason(String text) {
    if (text == null) {
      return null;
    }
    return SuppressedReason.of(text.toLowerCase(Locale.ROOT)).orElseThrow(() -> new ServiceException(
        ErrorCode.INVALID_FIELD, "suppressed_reason must be one of " + Arrays.stream(SuppressedReason.values())
        .map(SuppressedReason::dbValue).collect(Collectors.joining(", ")), "suppressed_reason"));
  }

  private static EventStatus status(String text) {
    if (text == null) {
      return null;
    }
    try {
      return EventStatus.fromDbValue(text.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, "status must be one of " + Arrays.stream(EventStatus.values())
          .map(EventStatus::dbValue).collect(Collectors.joining(", ")), "status");
    }
  }

  private static String type(String text) {
    if (text == null) {
      return null;
    }
    String type = text.toUpperCase(Locale.ROOT);
    if (!type.equals("FIRE") && !type.equals("CLEAR")) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, "type must be FIRE or CLEAR", "type");
    }
    return type;
  }

  /**
   * The key as stored (canonical JSON): a JSON array of the key columns' values ({@code ["ACC-7"]},
   * {@code ["ACC-7",42]}) in any spacing, or, for a one-column text key, the plain value ({@code ACC-7}).
   */
  static String key(String text) {
    if (text == null) {
      return null;
    }
    if (!text.startsWith("[")) {
      return CanonicalKey.json(List.of(text));
    }
    Object parsed;
    try {
      parsed = ExactJson.parse(text);
    } catch (RuntimeException e) {
      parsed = null;
    }
    if (!(parsed instanceof JsonArray values) || values.isEmpty()) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, "key must be a JSON array of the key's values such as "
          + "[\"ACC-7\"], or the plain value of a one-column text key", "key");
    }
    return CanonicalKey.json(values.getList());
  }
}
