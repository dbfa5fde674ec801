package io.tycostream.triggers.admin;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.delivery.BreakerState;
import io.tycostream.triggers.delivery.BreakerStates;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.store.EventPage;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.OutboxAdmin;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The dead-letter routes (issue #10): replay of one event ({@value #RETRY_EVENT}) or of a trigger's events by status
 * and creation time ({@value #RETRY_EVENTS}), the operators' view of events across triggers ({@value #EVENTS},
 * newest first, paged with an opaque cursor) and this node's circuit breakers ({@value #ENDPOINTS}). Replays wake
 * delivery, so replayed events go out at once. Lists are rendered off the event loop on the {@code renderer} pool.
 * Runs on the admin verticle's event loop.
 */
final class EventRoutes {

  static final String EVENTS = "/api/v1/events";
  static final String ENDPOINTS = "/api/v1/endpoints";
  static final String RETRY_EVENT = "/api/v1/triggers/(?<name>[^/]+)/events/(?<eventId>[^/]+):retry";
  static final String RETRY_EVENTS = "/api/v1/triggers/(?<name>[^/]+)/events:retry";
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1_000;
  private static final Set<String> FILTER_FIELDS = Set.of("status", "from", "to");

  private final Vertx vertx;
  private final Store store;
  private final OutboxAdmin outbox;
  private final WorkerExecutor renderer;
  private final Clock clock;
  private final AuditRecorder audit;

  EventRoutes(Vertx vertx, Store store, WorkerExecutor renderer, Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.outbox = store.outboxAdmin();
    this.renderer = Objects.requireNonNull(renderer, "renderer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.audit = new AuditRecorder(store.audit());
  }

  void mount(Router router) {
    router.get(EVENTS).handler(this::list);
    router.get(ENDPOINTS).handler(this::endpoints);
    router.postWithRegex(RETRY_EVENT).handler(this::retryOne);
    router.postWithRegex(RETRY_EVENTS).handler(BodyHandler.create(false).setBodyLimit(TriggerRoutes.MAX_BODY_BYTES))
        .handler(this::retryMany);
  }

  private void retryOne(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    String eventId = ctx.pathParam("eventId");
    existingTrigger(name)
        .compose(found -> outbox.retryEvent(name, eventId, clock.millis()))
        .compose(replay -> switch (replay) {
          case RETRIED -> audit.record(ChangeAuthor.of(ctx), AuditRecorder.EVENT_REPLAY, name, null,
                  new JsonObject().put("event_id", eventId))
              .map(recorded -> new JsonObject().put("event_id", eventId).put("status", "pending"));
          case NOT_FOUND -> Future.failedFuture(new ServiceException(ErrorCode.NOT_FOUND,
              "trigger '" + name + "' has no event '" + eventId + "'", "event_id"));
          case STILL_PENDING -> Future.failedFuture(new ServiceException(ErrorCode.CONFLICT,
              "event '" + eventId + "' is pending: only dead or delivered events are replayed", "event_id"));
        })
        .onSuccess(json -> {
          wakeDelivery();
          TriggerRoutes.ok(ctx, json);
        })
        .onFailure(failure -> TriggerRoutes.fail(ctx, failure));
  }

  private void retryMany(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    String body = ctx.body().buffer() == null ? "" : ctx.body().buffer().toString(StandardCharsets.UTF_8);
    if (!body.isBlank() && !TriggerRoutes.isJson(ctx.request().getHeader("content-type"))) {
      TriggerRoutes.fail(ctx, new ServiceException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "a body must be sent as Content-Type: application/json"));
      return;
    }
    JsonObject filter;
    EventStatus status;
    Instant from;
    Instant to;
    try {
      filter = body.isBlank() ? new JsonObject() : new JsonObject(body);
      for (String field : filter.fieldNames()) {
        if (!FILTER_FIELDS.contains(field)) {
          throw new ServiceException(ErrorCode.UNKNOWN_FIELD, "unknown field '" + field
              + "': the filter takes status, from and to", field);
        }
      }
      status = replayStatus(filter.getValue("status"));
      from = instant(filter.getValue("from"), "from");
      to = instant(filter.getValue("to"), "to");
      if (from != null && to != null && !from.isBefore(to)) {
        throw new ServiceException(ErrorCode.INVALID_FIELD, "to must be after from", "to");
      }
    } catch (DecodeException | ClassCastException malformed) {
      TriggerRoutes.fail(ctx, new ServiceException(ErrorCode.MALFORMED_JSON, "the body must be a JSON object"));
      return;
    } catch (ServiceException invalid) {
      TriggerRoutes.fail(ctx, invalid);
      return;
    }
    existingTrigger(name)
        .compose(found -> outbox.retryEvents(name, status, from, to, clock.millis()))
        .compose(count -> count == 0 ? Future.succeededFuture(count)
            : audit.record(ChangeAuthor.of(ctx), AuditRecorder.EVENT_REPLAY, name, null, new JsonObject()
                .put("status", status.dbValue()).put("from", from == null ? null : from.toString())
                .put("to", to == null ? null : to.toString()).put("retried", count)).map(count))
        .onSuccess(count -> {
          if (count > 0) {
            wakeDelivery();
          }
          TriggerRoutes.ok(ctx, new JsonObject().put("retried", count));
        })
        .onFailure(failure -> TriggerRoutes.fail(ctx, failure));
  }

  private void list(RoutingContext ctx) {
    EventStatus status;
    int limit;
    EventPage.Position after;
    String trigger = ctx.queryParams().get("trigger");
    try {
      status = listStatus(ctx.queryParams().get("status"));
      limit = limit(ctx.queryParams().get("limit"));
      after = position(ctx.queryParams().get("cursor"));
    } catch (ServiceException invalid) {
      TriggerRoutes.fail(ctx, invalid);
      return;
    }
    outbox.listEvents(status, trigger == null || trigger.isBlank() ? null : trigger, after, limit)
        .compose(page -> renderer.executeBlocking(() -> render(page).toBuffer(), false))
        .onSuccess(buffer -> ctx.response().putHeader("content-type", "application/json; charset=utf-8").end(buffer))
        .onFailure(failure -> TriggerRoutes.fail(ctx, failure));
  }

  private void endpoints(RoutingContext ctx) {
    BreakerStates.of(vertx).all()
        .map(states -> new JsonObject().put("endpoints",
            new JsonArray(states.stream().map(BreakerState::toJson).toList())))
        .onSuccess(json -> TriggerRoutes.ok(ctx, json))
        .onFailure(failure -> TriggerRoutes.fail(ctx, new ServiceException(ErrorCode.UNAVAILABLE,
            "delivery did not tell its breakers: " + failure.getMessage())));
  }

  private static JsonObject render(EventPage page) {
    JsonObject json = new JsonObject()
        .put("events", new JsonArray(page.events().stream().map(EventRoutes::eventWithTrigger).toList()));
    json.put("next_cursor", page.next() == null ? null : cursor(page.next()));
    return json;
  }

  private static JsonObject eventWithTrigger(StoredEvent event) {
    return TriggerJson.event(event).put("trigger_name", event.triggerName());
  }

  private Future<Void> existingTrigger(String name) {
    return store.getTrigger(name).compose(found -> found.isPresent() ? Future.succeededFuture()
        : Future.failedFuture(new ServiceException(ErrorCode.NOT_FOUND, "no trigger named '" + name + "'", "name")));
  }

  private void wakeDelivery() {
    vertx.eventBus().publish(BusAddresses.DELIVERY_WAKE, null);
  }

  /** The bulk filter's status: dead when absent; delivered allowed; pending refused. */
  private static EventStatus replayStatus(Object value) {
    if (value == null) {
      return EventStatus.DEAD;
    }
    if (value instanceof String text) {
      String lower = text.strip().toLowerCase(Locale.ROOT);
      if (lower.equals("dead")) {
        return EventStatus.DEAD;
      }
      if (lower.equals("delivered")) {
        return EventStatus.DELIVERED;
      }
    }
    throw new ServiceException(ErrorCode.INVALID_FIELD, "status must be dead or delivered (pending events are "
        + "still being delivered)", "status");
  }

  private static EventStatus listStatus(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return EventStatus.fromDbValue(text.strip().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, "status must be pending, delivered or dead", "status");
    }
  }

  private static Instant instant(Object value, String field) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse((String) value);
    } catch (ClassCastException | DateTimeParseException e) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, field + " must be an ISO-8601 instant such as "
          + "2026-01-15T10:30:45Z", field);
    }
  }

  private static int limit(String text) {
    if (text == null || text.isBlank()) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text.strip());
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ServiceException(ErrorCode.INVALID_FIELD, "limit must be an integer from 1 to " + MAX_LIMIT, "limit");
  }

  /** The opaque cursor: base64url of {@code <created_at ms>:<sequence>} of the previous page's last event. */
  static String cursor(EventPage.Position position) {
    String plain = position.createdAtMs() + ":" + position.sequence();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  private static EventPage.Position position(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      if (cursor.length() > 64) {
        throw new IllegalArgumentException("too long");
      }
      String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int colon = plain.indexOf(':');
      return new EventPage.Position(Long.parseLong(plain.substring(0, colon)), Long.parseLong(plain.substring(colon + 1)));
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, "cursor is malformed: pass back the next_cursor of the "
          + "previous page unchanged, or leave it out for the first page", "cursor");
    }
  }
}
