package io.tycostream.triggers.admin;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Locale;

/**
 * The handler every {@code /api/...} request passes (after the request id, the {@code Host} check and CORS) before
 * its route: authenticates the {@code Authorization: Bearer <key>} header
 * (401 {@code unauthenticated} when missing, unknown or expired), checks the key's role against
 * {@link #requiredRole} (403 {@code forbidden}), and attaches the {@link Actor} for the handlers after it. A client
 * address with too many refused keys is answered 429 with {@code Retry-After} while it presents keys
 * ({@link FailedAuthLimiter}). Refusals are logged as one line that never contains the key.
 * <p>
 * The role a request needs is decided here, by method and path, for every route at once: reads ({@code GET},
 * {@code HEAD}) need {@code read}, other methods {@code write}, and anything under {@value #API_KEYS} or the audit
 * log ({@code /api/v1/audit}) needs {@code admin}. A route added later is therefore protected without further code.
 * <p>
 * With authentication turned off ({@code admin.auth_enabled: false}, loopback binds only) every request acts as
 * {@value Actor#UNAUTHENTICATED_NAME} with the admin role. Runs on the admin verticle's event loop.
 */
final class ApiAuthHandler implements Handler<RoutingContext> {

  static final String API_KEYS = "/api/v1/api-keys";
  private static final Logger LOG = LoggerFactory.getLogger(ApiAuthHandler.class);
  private static final String BEARER = "bearer ";
  private static final String CHALLENGE = "Bearer realm=\"tycostream-triggers\"";

  private final ApiKeyAuthenticator authenticator;
  private final Future<Void> keysReady;
  private final FailedAuthLimiter limiter = new FailedAuthLimiter();
  private final Clock clock;

  /**
   * @param authenticator how keys are checked, or {@code null} when authentication is turned off
   * @param keysReady     completes once the bootstrap admin key is stored ({@link ApiKeyBootstrap}); requests wait
   *                      for it, and are answered 503 if it failed
   */
  ApiAuthHandler(ApiKeyAuthenticator authenticator, Future<Void> keysReady, Clock clock) {
    this.authenticator = authenticator;
    this.keysReady = keysReady;
    this.clock = clock;
  }

  /** The role a request needs: see the class comment. */
  static ApiKeyRole requiredRole(HttpMethod method, String normalizedPath) {
    if (normalizedPath.equals(API_KEYS) || normalizedPath.startsWith(API_KEYS + "/")
        || normalizedPath.startsWith(API_KEYS + ":")
        || normalizedPath.equals(AuditRoutes.AUDIT) || normalizedPath.startsWith(AuditRoutes.AUDIT + "/")) {
      return ApiKeyRole.ADMIN;
    }
    return method == HttpMethod.GET || method == HttpMethod.HEAD ? ApiKeyRole.READ : ApiKeyRole.WRITE;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (authenticator == null) {
      new Actor(Actor.UNAUTHENTICATED_NAME, ApiKeyRole.ADMIN).attachTo(ctx);
      ctx.next();
      return;
    }
    if (!keysReady.isComplete()) {
      ctx.request().pause();
      keysReady.onComplete(stored -> handle(ctx));
      return;
    }
    if (keysReady.failed()) {
      TriggerRoutes.fail(ctx, new ServiceException(ErrorCode.UNAVAILABLE, "the admin key could not be stored"));
      return;
    }
    String client = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    String key = bearerKey(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (key == null) {
      refuse(ctx, new ServiceException(ErrorCode.UNAUTHENTICATED,
          "this API needs an API key: send 'Authorization: Bearer <key>'"));
      return;
    }
    // a key this node already knows costs no hash: only unknown keys count while they are checked
    String unknownKey = authenticator.knows(key) ? null : key;
    long waitMs = limiter.blockedForMs(client, unknownKey, clock.millis());
    if (waitMs > 0) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString((waitMs + 999) / 1000));
      TriggerRoutes.fail(ctx, new ServiceException(ErrorCode.TOO_MANY_REQUESTS, "too many refused API keys from "
          + client + "; retry in " + ((waitMs + 999) / 1000) + " s"));
      return;
    }
    // keep the body (if any) in the request until a later handler reads it
    ctx.request().pause();
    if (unknownKey != null) {
      limiter.checking(client, unknownKey);
    }
    authenticator.authenticate(key).onComplete(done -> {
      if (unknownKey != null) {
        limiter.checked(client, unknownKey);
      }
      ctx.request().resume();
      if (done.failed()) {
        ServiceException refusal = ServiceException.of(done.cause());
        if (refusal.code() == ErrorCode.UNAUTHENTICATED) {
          limiter.recordFailure(client, clock.millis());
          LOG.warn("admin API key refused [client: {}, method: {}, path: {}, reason: {}]", client,
              ctx.request().method(), ctx.request().path(), refusal.getMessage());
          refuse(ctx, refusal);
        } else {
          TriggerRoutes.fail(ctx, done.cause());
        }
        return;
      }
      Actor actor = done.result();
      ApiKeyRole required = requiredRole(ctx.request().method(), ctx.normalizedPath());
      if (!actor.role().includes(required)) {
        LOG.warn("admin request forbidden [client: {}, key: {}, role: {}, method: {}, path: {}]", client,
            actor.name(), actor.role().wireName(), ctx.request().method(), ctx.request().path());
        TriggerRoutes.fail(ctx, new ServiceException(ErrorCode.FORBIDDEN, "API key '" + actor.name() + "' has role '"
            + actor.role().wireName() + "'; " + ctx.request().method() + " " + ctx.request().path() + " needs '"
            + required.wireName() + "'"));
        return;
      }
      actor.attachTo(ctx);
      ctx.next();
    });
  }

  private static void refuse(RoutingContext ctx, ServiceException refusal) {
    ctx.response().putHeader("www-authenticate", CHALLENGE);
    TriggerRoutes.fail(ctx, refusal);
  }

  /** The key of an {@code Authorization: Bearer <key>} header (scheme in any case), or {@code null}. */
  static String bearerKey(String authorization) {
    if (authorization == null || authorization.length() <= BEARER.length()
        || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return null;
    }
    String key = authorization.substring(BEARER.length()).strip();
    return key.isEmpty() ? null : key;
  }
}
