package io.tycostream.triggers.admin;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.store.ApiKeyStore;
import io.tycostream.triggers.store.StoredApiKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API-key REST API under {@value ApiAuthHandler#API_KEYS} (admin role, enforced by {@link ApiAuthHandler}):
 * create ({@code {"name", "role", "expires_at"?}}, answered 201 with the key, shown this once), list (never the key
 * or its hash) and revoke ({@code DELETE …/{name}}; the last admin key that has not expired is kept, 409).
 */
final class ApiKeyRoutes {

  static final String API_KEY = ApiAuthHandler.API_KEYS + "/:name";
  static final Pattern NAME_PATTERN = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
  private static final int MAX_BODY_BYTES = 4_096;
  private static final Set<String> FIELDS = Set.of("name", "role", "expires_at");
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyRoutes.class);

  private final Vertx vertx;
  private final ApiKeyStore keys;
  private final ApiKeyHasher hasher;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final AuditRecorder audit;

  /** @param audit records key creations and revocations ({@code api_key.create}, {@code api_key.delete}) */
  ApiKeyRoutes(Vertx vertx, ApiKeyStore keys, ApiKeyHasher hasher, Clock clock, AuditRecorder audit) {
    this.audit = Objects.requireNonNull(audit, "audit");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  void mount(Router router) {
    router.post(ApiAuthHandler.API_KEYS).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(this::create);
    router.get(ApiAuthHandler.API_KEYS).handler(this::list);
    router.delete(API_KEY).handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    Actor actor = Actor.of(ctx);
    NewKeyRequest request;
    try {
      request = parse(ctx);
    } catch (ServiceException e) {
      TriggerRoutes.fail(ctx, e);
      return;
    }
    String key = ApiKeyHasher.generateKey(random);
    Instant now = clock.instant();
    vertx.executeBlocking(() -> hasher.hash(key), false)
        .map(hash -> new StoredApiKey(request.name, request.role.wireName(), hash, now, actor.name(),
            request.expiresAt))
        .compose(stored -> keys.createApiKey(stored).compose(created -> created
            ? Future.succeededFuture(stored)
            : Future.failedFuture(new ServiceException(ErrorCode.DUPLICATE_NAME,
                "an API key named '" + request.name + "' already exists", "name"))))
        .compose(stored -> audit.record(ChangeAuthor.of(ctx), AuditRecorder.API_KEY_CREATE, stored.name(), null,
            json(stored)).map(stored))
        .onSuccess(stored -> {
          LOG.info("API key created [name: {}, role: {}, by: {}, expires_at: {}]", stored.name(), stored.role(),
              actor.name(), stored.expiresAt());
          ctx.response().setStatusCode(201).putHeader("location", ApiAuthHandler.API_KEYS + "/" + stored.name())
              .putHeader("content-type", "application/json; charset=utf-8")
              .end(json(stored).put("key", key).encode());
        })
        .onFailure(failure -> TriggerRoutes.fail(ctx, failure));
  }

  private void list(RoutingContext ctx) {
    Instant now = clock.instant();
    keys.listApiKeys()
        .map(all -> new JsonObject().put("api_keys", new JsonArray(all.stream()
            .map(key -> json(key).put("expired", key.expiredAt(now))).toList())))
        .onSuccess(json -> TriggerRoutes.ok(ctx, json))
        .onFailure(failure -> TriggerRoutes.fail(ctx, failure));
  }

  private void delete(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Actor actor = Actor.of(ctx);
    keys.deleteApiKey(name, clock.millis())
        .onSuccess(removal -> {
          switch (removal) {
            case REMOVED -> {
              LOG.info("API key revoked [name: {}, by: {}]", name, actor.name());
              audit.record(ChangeAuthor.of(ctx), AuditRecorder.API_KEY_DELETE, name, null, null)
                  .onComplete(recorded -> ctx.response().setStatusCode(204).end());
            }
            case NOT_FOUND -> TriggerRoutes.fail(ctx, new ServiceException(ErrorCode.NOT_FOUND,
                "no API key named '" + name + "'", "name"));
            case LAST_ADMIN -> TriggerRoutes.fail(ctx, new ServiceException(ErrorCode.CONFLICT, "API key '" + name
                + "' is the last admin key that has not expired; create another admin key first", "name"));
          }
        })
        .onFailure(failure -> TriggerRoutes.fail(ctx, failure));
  }

  private NewKeyRequest parse(RoutingContext ctx) {
    if (!TriggerRoutes.isJson(ctx.request().getHeader("content-type"))) {
      throw new ServiceException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "the body must be a JSON object sent as Content-Type: application/json");
    }
    JsonObject body;
    try {
      body = ctx.body().buffer() == null ? null : new JsonObject(ctx.body().buffer());
    } catch (DecodeException | ClassCastException e) {
      throw new ServiceException(ErrorCode.MALFORMED_JSON, "the body is not a JSON object");
    }
    if (body == null) {
      throw new ServiceException(ErrorCode.MALFORMED_JSON, "the body is empty; send {\"name\": …, \"role\": …}");
    }
    for (String field : body.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new ServiceException(ErrorCode.UNKNOWN_FIELD, "unknown field '" + field + "'; an API key has "
            + "name, role and expires_at", field);
      }
    }
    String name = text(body, "name");
    if (name == null || !NAME_PATTERN.matcher(name).matches()) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, "name must be 1 to 64 of a-z, 0-9, '_', '.', '-', "
          + "starting with a letter or digit", "name");
    }
    ApiKeyRole role = ApiKeyRole.fromWireName(text(body, "role"));
    if (role == null) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, "role must be read, write or admin", "role");
    }
    return new NewKeyRequest(name, role, expiresAt(text(body, "expires_at")));
  }

  private Instant expiresAt(String text) {
    if (text == null) {
      return null;
    }
    Instant at;
    try {
      at = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new ServiceException(ErrorCode.INVALID_FIELD,
          "expires_at must be an ISO-8601 UTC time such as 2027-01-31T00:00:00Z", "expires_at");
    }
    if (!at.isAfter(clock.instant())) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, "expires_at must be in the future", "expires_at");
    }
    return at;
  }

  private static String text(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, field + " must be a string", field);
    }
    return text;
  }

  /** A key as lists and the audit log show it: never the key nor its hash. */
  static JsonObject json(StoredApiKey key) {
    return new JsonObject()
        .put("name", key.name())
        .put("role", key.role())
        .put("created_at", key.createdAt().toString())
        .put("created_by", key.createdBy())
        .put("expires_at", key.expiresAt() == null ? null : key.expiresAt().toString());
  }

  private record NewKeyRequest(String name, ApiKeyRole role, Instant expiresAt) {
  }
}
