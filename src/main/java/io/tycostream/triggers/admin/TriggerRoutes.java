package io.tycostream.triggers.admin;

import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.delivery.BreakerState;
import io.tycostream.triggers.delivery.BreakerStates;
import io.tycostream.triggers.delivery.RateLimitStates;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.tycostream.triggers.store.StoredTrigger;
import io.tycostream.triggers.store.TriggerPage;
import io.tycostream.triggers.store.TriggerFilter;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The trigger REST API under {@value #TRIGGERS}: create (POST, JSON body of at most {@value #MAX_BODY_BYTES} bytes),
 * list (paged: {@code ?limit=} and the opaque {@code ?cursor=} of {@link PageCursor}; each trigger with its activity,
 * {@link HistoryJson#withActivity}), get, delete, and secret rotation ({@value #ROTATE_SECRET}). Secrets appear
 * only in the creation and rotation responses. Every failure is answered with the {@link ApiError} shape.
 * <p>
 * Handlers run on the admin verticle's event loop and never block: the store and the bus return futures, and lists
 * (whose definitions are parsed and encoded again, megabytes for a page of large triggers) are rendered on the
 * {@code renderer} worker pool.
 */
final class TriggerRoutes {

  static final String TRIGGERS = "/api/v1/triggers";
  static final String TRIGGER = TRIGGERS + "/:name";
  /**
   * {@code POST /api/v1/triggers/{name}/secret:rotate}, as a regular expression: in a plain route path Vert.x Web
   * would read {@code :rotate} as a path parameter and match {@code /secretANYTHING}.
   */
  static final String ROTATE_SECRET = "/api/v1/triggers/(?<name>[^/]+)/secret:rotate";
  /** Request bodies above this are refused with 413 before they are parsed. */
  static final int MAX_BODY_BYTES = 64 * 1024;
  static final int DEFAULT_EVENT_LIMIT = 50;
  static final int MAX_EVENT_LIMIT = 500;
  static final int DEFAULT_PAGE_LIMIT = 100;
  static final int MAX_PAGE_LIMIT = 1_000;
  /**
   * A page of the trigger list ends early once its definitions add up to this many characters (the trigger crossing
   * it is the last), so a page of large definitions stays a few megabytes however large {@code limit} is.
   */
  static final long MAX_PAGE_DEFINITION_CHARS = 4L * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(TriggerRoutes.class);

  private final Store store;
  private final BreakerStates breakers;
  private final TriggerRegistration registration;
  private final WorkerExecutor renderer;

  /** @param renderer where list answers are rendered to JSON, off the event loop */
  /** @param breakers the circuit breakers of this node's delivery, shown with each trigger */
  TriggerRoutes(Store store, TriggerRegistration registration, WorkerExecutor renderer, BreakerStates breakers) {
    this.breakers = Objects.requireNonNull(breakers, "breakers");
    this.store = Objects.requireNonNull(store, "store");
    this.registration = Objects.requireNonNull(registration, "registration");
    this.renderer = Objects.requireNonNull(renderer, "renderer");
  }

  void mount(Router router) {
    router.post(TRIGGERS).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(this::create);
    router.get(TRIGGERS).handler(this::list);
    router.get(TRIGGER).handler(this::get);
    router.delete(TRIGGER).handler(this::delete);
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
        .compose(request -> registration.rotateSecret(name, request.secret(), request.overlap(),
            ChangeAuthor.of(ctx)))
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
        .compose(parsed -> registration.create(parsed, ChangeAuthor.of(ctx)))
        .onSuccess(stored -> ctx.response().setStatusCode(201)
            .putHeader("location", TRIGGERS + "/" + stored.name())
            .putHeader("content-type", "application/json; charset=utf-8")
            .end(TriggerJson.created(stored).encode()))
        .onFailure(failure -> fail(ctx, failure));
  }

  private void list(RoutingContext ctx) {
    int limit;
    String after;
    TriggerFilter filter;
    try {
      limit = limit(ctx.queryParams().get("limit"), DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT);
      after = PageCursor.lastName(ctx.queryParams().get(PageCursor.PARAMETER));
      filter = TriggerListFilter.of(ctx);
    } catch (ServiceException e) {
      fail(ctx, e);
      return;
    }
    String wantedStatus = ctx.queryParams().get("status");
    store.listTriggers(filter, after, limit, MAX_PAGE_DEFINITION_CHARS)
        .map(page -> TriggerExpiryStatus.filter(page, wantedStatus, Instant.now()))
        .compose(read -> breakerStates().compose(states -> {
          TriggerPage page = TriggerFailingStatus.filter(read, wantedStatus, states);
          return store.history().activityOf(page.triggers().stream().map(StoredTrigger::name).toList())
              .compose(activity -> renderer.executeBlocking(
                  () -> TriggerJson.page(page, activity, states).toBuffer(), false));
        }))
        .onSuccess(body -> ok(ctx, body))
        .onFailure(failure -> fail(ctx, failure));
  }

  private void get(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    store.getTrigger(name)
        .map(found -> found.orElseThrow(() -> notFound(name)))
        .compose(stored -> store.history().activityOf(List.of(name))
            .compose(activity -> breakerStates().map(states -> {
              ctx.response().putHeader("etag", TriggerJson.etag(stored));
              return TriggerJson.withBreaker(HistoryJson.withActivity(TriggerJson.trigger(stored),
                  activity.get(name)), states);
            })))
        .compose(json -> json.containsKey(TriggerDefinitionParser.RATE_LIMIT)
            ? RateLimitStates.of(ctx.vertx()).forTrigger(name).otherwiseEmpty()
                .map(state -> TriggerJson.withRateLimiter(json, state == null ? null : state.orElse(null)))
            : Future.succeededFuture(json))
        .onSuccess(json -> ok(ctx, json))
        .onFailure(failure -> fail(ctx, failure));
  }

  /** This node's breakers; none when delivery does not answer (a trigger's state is still shown). */
  private Future<List<BreakerState>> breakerStates() {
    return breakers.all().recover(failure -> Future.succeededFuture(List.of()));
  }

  private void delete(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    registration.delete(name, ChangeAuthor.of(ctx))
        .onSuccess(deleted -> {
          if (deleted) {
            ctx.response().setStatusCode(204).end();
          } else {
            fail(ctx, notFound(name));
          }
        })
        .onFailure(failure -> fail(ctx, failure));
  }

  /** The {@code limit} query parameter: {@code defaultLimit} when absent, else an integer from 1 to {@code max}. */
  private static int limit(String text, int defaultLimit, int max) {
    if (text == null || text.isBlank()) {
      return defaultLimit;
    }
    try {
      int limit = Integer.parseInt(text.strip());
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ServiceException(ErrorCode.INVALID_FIELD, "limit must be an integer from 1 to " + max, "limit");
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

  static ServiceException notFound(String name) {
    return new ServiceException(ErrorCode.NOT_FOUND, "no trigger named '" + name + "'", "name");
  }

  static void ok(RoutingContext ctx, JsonObject json) {
    ok(ctx, json.toBuffer());
  }

  static void ok(RoutingContext ctx, Buffer body) {
    ctx.response().putHeader("content-type", "application/json; charset=utf-8").end(body);
  }

  /**
   * Answers {@code failure} in the {@link ApiError} shape, with the request's id. Unexpected server-side failures are
   * logged once here with their stack trace; a client's mistake (4xx) leaves at most one DEBUG line, never a trace.
   */
  static void fail(RoutingContext ctx, Throwable failure) {
    ApiError answer = ApiError.of(failure);
    String requestId = RequestIds.of(ctx);
    if (answer.status() >= 500 && ServiceException.of(failure).code() == ErrorCode.INTERNAL) {
      LOG.warn("admin request failed [request: {}, method: {}, path: {}, status: {}]", requestId,
          ctx.request().method(), ctx.request().path(), answer.status(), failure);
    } else {
      LOG.debug("admin request refused [request: {}, method: {}, path: {}, status: {}, code: {}]", requestId,
          ctx.request().method(), ctx.request().path(), answer.status(), answer.code());
    }
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(answer.status())
        .putHeader("content-type", "application/json; charset=utf-8")
        .end(errorBody(answer, requestId).toBuffer());
  }

  /** The {@link ApiError} shape with {@code error.request_id}. */
  static JsonObject errorBody(ApiError error, String requestId) {
    JsonObject body = error.toJson();
    body.getJsonObject("error").put("request_id", requestId);
    return body;
  }
}
