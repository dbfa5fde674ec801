package io.tycostream.triggers.delivery;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The body of one batched webhook: {@code {"batch_id": "...", "events": [<payload>, ...]}}, each element exactly
 * the body its event would have had alone ({@link WebhookPayload}, with the same send time), in delivery order.
 * {@link #encode(Instant)} returns the exact bytes to sign and send. Immutable and thread-safe.
 *
 * @param batchId the batch id (also the {@code webhook-id} header)
 * @param events  the members' payloads, in delivery order
 */
record BatchPayload(String batchId, List<WebhookPayload> events) {

  private static final byte[] EVENTS_FIELD = "\",\"events\":[".getBytes(StandardCharsets.UTF_8);
  private static final byte[] END = "]}".getBytes(StandardCharsets.UTF_8);

  BatchPayload {
    Objects.requireNonNull(batchId, "batchId");
    events = List.copyOf(events);
  }

  /** The UTF-8 bytes of the batch, each event's {@code timestamp} set to {@code sendTime}. */
  byte[] encode(Instant sendTime) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + events.size() * 512);
    // the id is a fixed alphabet (batch_ and hex digits): nothing to escape
    out.writeBytes(("{\"batch_id\":\"" + batchId).getBytes(StandardCharsets.UTF_8));
    out.writeBytes(EVENTS_FIELD);
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(events.get(i).encode(sendTime));
    }
    out.writeBytes(END);
    return out.toByteArray();
  }
}
