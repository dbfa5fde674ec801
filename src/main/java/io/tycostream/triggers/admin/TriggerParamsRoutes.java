package io.tycostream.triggers.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.json.JsonMappers;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * {@code PUT /api/v1/triggers/{name}/params}: replaces a trigger's parameter values as a whole (the body is the new
 * {@code params} object, {@code {}} for none). It is the {@code PATCH {"params": …}} of {@link TriggerUpdateRoutes}
 * under its own path: the same checks (every placeholder needs a value, every value must fit its column and be
 * used), the same reconcile of the matched keys at the commit where the new values take effect, the same audit
 * entry ({@code trigger.update}), {@code If-Match}/{@code ETag} and answer (the trigger as now stored).
 */
final class TriggerParamsRoutes {

  static final String PARAMS = TriggerRoutes.TRIGGER + "/params";

  private final TriggerRegistration registration;

  TriggerParamsRoutes(TriggerRegistration registration) {
    this.registration = Objects.requireNonNull(registration, "registration");
  }

  void mount(Router router) {
    router.put(PARAMS).handler(BodyHandler.create(false).setBodyLimit(TriggerRoutes.MAX_BODY_BYTES))
        .handler(this::replace);
  }

  private void replace(RoutingContext ctx) {
    if (!TriggerRoutes.isJson(ctx.request().getHeader("content-type"))) {
      TriggerRoutes.fail(ctx, new ServiceException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "the body must be the parameter values, sent as Content-Type: application/json"));
      return;
    }
    String patch;
    Long expected;
    try {
      expected = TriggerUpdateRoutes.expectedVersion(ctx.request().getHeader("if-match"));
      patch = asPatch(ctx.body().buffer() == null ? "" : ctx.body().buffer().toString(StandardCharsets.UTF_8));
    } catch (ServiceException e) {
      TriggerRoutes.fail(ctx, e);
      return;
    }
    Future.succeededFuture(patch)
        .compose(body -> registration.update(ctx.pathParam("name"), body, expected, ChangeAuthor.of(ctx)))
        .onSuccess(stored -> {
          ctx.response().putHeader("etag", TriggerJson.etag(stored));
          TriggerRoutes.ok(ctx, TriggerJson.trigger(stored));
        })
        .onFailure(failure -> TriggerRoutes.fail(ctx, failure));
  }

  /** The PATCH body that replaces {@code params} with {@code body}, once {@code body} is known to be an object. */
  private static String asPatch(String body) {
    if (body.isBlank()) {
      throw new ServiceException(ErrorCode.MALFORMED_JSON, "the body is empty; send the parameter values as an "
          + "object like {\"threshold\": 20000} ({} for none)");
    }
    JsonNode values;
    try {
      values = JsonMappers.strict().readTree(body);
    } catch (NumberFormatException | ArithmeticException unrepresentable) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, "a number in the parameters is out of range: its exponent "
          + "or length cannot be represented", TriggerDefinitionParser.PARAMS);
    } catch (JsonProcessingException e) {
      throw new ServiceException(ErrorCode.MALFORMED_JSON, "malformed JSON: " + JsonMappers.problemOf(e));
    }
    if (values == null || !values.isObject()) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, "params must be an object of values like "
          + "{\"threshold\": 20000}", TriggerDefinitionParser.PARAMS);
    }
    // the body is already strict JSON text of an object: embedding it verbatim keeps its numbers exact
    return "{\"" + TriggerDefinitionParser.PARAMS + "\": " + body + "}";
  }
}
