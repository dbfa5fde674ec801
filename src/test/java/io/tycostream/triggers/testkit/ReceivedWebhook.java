package io.tycostream.triggers.testkit;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * One POST seen by a {@link WebhookReceiver}: the headers that matter for Standard Webhooks and the exact body bytes.
 */
public record ReceivedWebhook(String webhookId, String webhookTimestamp, String webhookSignature, Buffer body,
                              Instant receivedAt) {

  /** The body parsed as JSON (numbers keep their exact text via Vert.x's Jackson parsing where possible). */
  public JsonObject json() {
    return new JsonObject(body);
  }

  public String eventId() {
    return json().getString("event_id");
  }

  public String eventType() {
    return json().getString("event_type");
  }
}
