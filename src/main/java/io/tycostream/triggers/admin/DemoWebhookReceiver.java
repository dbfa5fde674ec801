package io.tycostream.triggers.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.delivery.WebhookHeaders;
import io.tycostream.triggers.delivery.WebhookSigner;
import io.tycostream.triggers.delivery.WebhookVerificationException;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.json.ExactJson;
import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredTrigger;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The demo's webhook endpoint, {@value #PATH}: verifies each delivery's Standard Webhooks signature with the secret
 * of the trigger named in the body, answers 204 and logs one INFO line per event
 * ({@code demo webhook received [trigger: …, type: FIRE, event: …, key: …, signature: valid]}); a delivery that
 * fails verification gets 401 and a WARN line. Served only when {@code demo_receiver: true}, so a newcomer sees
 * signed deliveries in the service's own log. Runs on the admin event loop; never blocks.
 */
final class DemoWebhookReceiver {

  static final String PATH = "/demo/webhook";

  private static final Logger LOG = LoggerFactory.getLogger(DemoWebhookReceiver.class);

  private final Store store;
  private final TriggerRegistration registration;
  private final Clock clock;

  DemoWebhookReceiver(Store store, TriggerRegistration registration, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.registration = Objects.requireNonNull(registration, "registration");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  void mount(Router router) {
    router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(TriggerRoutes.MAX_BODY_BYTES))
        .handler(this::receive);
  }

  private void receive(RoutingContext ctx) {
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    WebhookHeaders headers = WebhookHeaders.from(ctx.request().headers()::get);
    JsonNode payload = ExactJson.tree(body);
    String triggerName = text(payload, "trigger_name");
    if (triggerName == null) {
      reject(ctx, "?", "the body is not a webhook payload with a trigger_name");
      return;
    }
    store.getTrigger(triggerName)
        .onSuccess(found -> verify(ctx, found, triggerName, headers, body, payload))
        .onFailure(failure -> TriggerRoutes.fail(ctx, failure));
  }

  private void verify(RoutingContext ctx, Optional<StoredTrigger> trigger, String triggerName,
                      WebhookHeaders headers, byte[] body, JsonNode payload) {
    if (trigger.isEmpty()) {
      reject(ctx, triggerName, "no trigger of that name");
      return;
    }
    try {
      WebhookSigner.create(WebhookSecret.parse(trigger.get().secret())).verify(headers, body, clock.instant());
    } catch (WebhookVerificationException e) {
      reject(ctx, triggerName, e.reason() + ": " + e.getMessage());
      return;
    }
    ctx.response().setStatusCode(204).end();
    keyOf(trigger.get().source(), payload.get("data")).onComplete(key -> LOG.info(
        "demo webhook received [trigger: {}, type: {}, event: {}, key: {}, signature: valid]", triggerName,
        text(payload, "event_type"), text(payload, "event_id"), key.succeeded() ? key.result() : "?"));
  }

  /** The key columns' values of the row, in key order, as the source's schema names them. */
  private Future<String> keyOf(String source, JsonNode data) {
    return registration.schemaOf(source).map(schema -> keyText(schema, data));
  }

  private static String keyText(SourceSchema schema, JsonNode data) {
    List<String> values = new ArrayList<>();
    for (String column : schema.keyColumns()) {
      JsonNode value = data == null ? null : data.get(column);
      values.add(value == null ? "null" : value.isTextual() ? value.textValue() : value.toString());
    }
    return String.join(",", values);
  }

  private static void reject(RoutingContext ctx, String triggerName, String reason) {
    LOG.warn("demo webhook rejected [trigger: {}, reason: {}]", triggerName, reason);
    TriggerRoutes.fail(ctx, new ServiceException(ErrorCode.INVALID_SIGNATURE, "webhook rejected: " + reason));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || !value.isTextual() ? null : value.textValue();
  }
}
