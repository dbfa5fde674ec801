package io.tycostream.triggers.admin;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * The trigger REST API under {@value #TRIGGERS}: create (POST, JSON body of at most {@value #MAX_BODY_BYTES} bytes),
 * list, get, delete, a trigger's recent events, and secret rotation ({@value #ROTATE_SECRET}). Secrets appear only in
 * the creation and rotation responses. Every failure is
 * answered with the {@link ApiError} shape.
 * <p>
 * Handlers run on the admin verticle's event loop and never block: the store and the bus return futures.
 */
final class TriggerRoutes {

  static final String TRIGGERS = "/api/v1/triggers";
  static final String TRIGGER = TRIGGERS + "/:name";
  static final String EVENTS = TRIGGER + "/events";
  /**
   * {@code POST /api/v1/triggers/{name}/secret:rotate}, as a regular expression: in a plain route path Vert.x Web
   * would read {@code :rotate} as a path parameter and match {@code /secretANYTHING}.
   */
  static final String ROTATE_SECRET = "/api/v1/triggers/(?<name>[^/]+)/secret:rotate";
  /** Request bodies above this are refused with 413 before they are parsed. */
  static final int MAX_BODY_BYTES = 64 * 1024;
  static final int DEFAULT_EVENT_LIMIT = 50;
  static final int MAX_EVENT_LIMIT = 500;

  private static final Logger LOG = LoggerFactory.getLogger(TriggerRoutes.class);

  private final Store store;
  private final TriggerRegistration registration;

  TriggerRoutes(Store store, TriggerRegistration registration) {
    this.store = Objects.requireNonNull(store, "store");
    this.registration = Objects.requireNonNull(registration, "registration");
  }

  void mount(Router router) {
    router.post(TRIGGERS).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(this::create);
    router.get(TRIGGERS).handler(this::list);
    router.get(TRIGGER).handler(this::get);
    router.delete(TRIGGER).handler(this::delete);
    router.get(EVENTS).handler(this::events);
    router.postWithRegex(ROTATE_SECRET).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(this::rotateSecret);
  }

  /**
   * Rotates a trigger's secret; the answer shows the new secret, once, and when the replaced one stops signing.
   * The body is optional; when present it must be JSON ({@link SecretRotationRequest}).
   */
  private void rotateSecret(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    String body = ctx.body().buffer() == null ? "" : ctx.body().buffer().toString(StandardCharsets.UTF_8);
    if (!body.isBlank() && !isJson(ctx.request().getHeader("content-type"))) {
      fail(ctx, new ServiceException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "a body must be sent as Content-Type: application/json"));
      return;
    }
    Future.succeededFuture(body)
        .map(SecretRotationRequest::parse)
        .compose(request -> registration.rotateSecret(name, request.secret(), request.overlap()))
        .recover(failure -> Future.failedFuture(failure instanceof StoreException missing
            && missing.storeCode() == StoreErrorCode.NOT_FOUND ? notFound(name) : failure))
        .onSuccess(stored -> ok(ctx, TriggerJson.rotated(stored)))
        .onFailure(failure -> fail(ctx, failure));
  }

  private void create(RoutingContext ctx) {
    if (!isJson(ctx.request().getHeader("content-type"))) {
      fail(ctx, new ServiceException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "the body must be a trigger definition sent as Content-Type: application/json"));
      return;
    }
    String body = ctx.body().buffer() == null ? "" : ctx.body().buffer().toString(StandardCharsets.UTF_8);
    Future.succeededFuture(body)
        .map(registration::parse)
        .compose(registration::create)
        .onSuccess(stored -> ctx.response().setStatusCode(201)
            .putHeader("location", TRIGGERS + "/" + stored.name())
            .putHeader("content-type", "application/json; charset=utf-8")
            .end(TriggerJson.created(stored).encode()))
        .onFailure(failure -> fail(ctx, failure));
  }

  private void list(RoutingContext ctx) {
    store.listTriggers()
        .map(triggers -> new JsonObject().put("triggers",
            new JsonArray(triggers.stream().map(TriggerJson::trigger).toList())))
        .onSuccess(json -> ok(ctx, json))
        .onFailure(failure -> fail(ctx, failure));
  }

  private void get(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    store.getTrigger(name)
        .map(found -> TriggerJson.trigger(found.orElseThrow(() -> notFound(name))))
        .onSuccess(json -> ok(ctx, json))
        .onFailure(failure -> fail(ctx, failure));
  }

  private void delete(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    registration.delete(name)
        .onSuccess(deleted -> {
          if (deleted) {
            ctx.response().setStatusCode(204).end();
          } else {
            fail(ctx, notFound(name));
          }
        })
        .onFailure(failure -> fail(ctx, failure));
  }

  private void events(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    EventStatus status;
    int limit;
    try {
      status = eventStatus(ctx.queryParams().get("status"));
      limit = eventLimit(ctx.queryParams().get("limit"));
    } catch (ServiceException e) {
      fail(ctx, e);
      return;
    }
    store.getTrigger(name)
        .compose(found -> found.isPresent() ? store.listEvents(name, status, limit) : Future.failedFuture(notFound(name)))
        .map(events -> new JsonObject().put("events", new JsonArray(events.stream().map(TriggerJson::event).toList())))
        .onSuccess(json -> ok(ctx, json))
        .onFailure(failure -> fail(ctx, failure));
  }

  private static EventStatus eventStatus(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return EventStatus.fromDbValue(text.strip().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, "status must be pending, delivered or dead", "status");
    }
  }

  private static int eventLimit(String text) {
    if (text == null || text.isBlank()) {
      return DEFAULT_EVENT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text.strip());
      if (limit >= 1 && limit <= MAX_EVENT_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ServiceException(ErrorCode.INVALID_FIELD, "limit must be an integer from 1 to " + MAX_EVENT_LIMIT,
        "limit");
  }

  /** {@code application/json}, any parameters (charset), any case; {@code +json} suffixes are not accepted. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
    return media.equalsIgnoreCase("application/json");
  }

  private static ServiceException notFound(String name) {
    return new ServiceException(ErrorCode.NOT_FOUND, "no trigger named '" + name + "'", "name");
  }

  static void ok(RoutingContext ctx, JsonObject json) {
    ctx.response().putHeader("content-type", "application/json; charset=utf-8").end(json.encode());
  }

  /** Answers {@code failure} in the {@link ApiError} shape; unexpected server-side failures are logged once here. */
  static void fail(RoutingContext ctx, Throwable failure) {
    ApiError answer = ApiError.of(failure);
    if (answer.status() >= 500 && ServiceException.of(failure).code() == ErrorCode.INTERNAL) {
      LOG.warn("admin request failed [method: {}, path: {}, status: {}]", ctx.request().method(),
          ctx.request().path(), answer.status(), failure);
    }
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(answer.status())
        .putHeader("content-type", "application/json; charset=utf-8")
        .end(answer.toJson().encode());
  }
}
