package io.tycostream.triggers.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tycostream.triggers.definition.TriggerDefinition;
import io.tycostream.triggers.delivery.WebhookPayload;
import io.tycostream.triggers.json.JsonMappers;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.SourceSnapshot;
import io.tycostream.triggers.trigger.CanonicalKey;
import io.tycostream.triggers.trigger.EventId;
import io.tycostream.triggers.trigger.RowJson;
import io.tycostream.triggers.trigger.TriggerStateMachine;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The answer of a dry run ({@code POST /api/v1/triggers:test}): the rows of a source snapshot that satisfy a
 * definition's {@code fire}, each with the payload its FIRE would carry, as
 * {@code {"source", "frontier", "matches": [{"key", "row", "payload"}], "truncated"}}.
 * <p>
 * A payload is exactly what delivery would send ({@link WebhookPayload#encode}), written into the answer as those
 * bytes: its {@code event_id} and {@code source_timestamp} are the ones a FIRE of an {@code include_snapshot}
 * baseline at this snapshot would carry ({@code mz_timestamp} = frontier - 1, the time every snapshot row is
 * stamped with), and {@code timestamp} is now. Rows and keys keep their exact numbers. At most {@code maxMatches}
 * rows are listed; {@code truncated} says more matched.
 * <p>
 * Pure and blocking (it walks the whole snapshot): run it on a worker thread.
 */
final class DryRunAnswer {

  private DryRunAnswer() {
  }

  static Buffer render(TriggerDefinition definition, TriggerStateMachine machine, SourceSnapshot snapshot,
                       int maxMatches, Instant now) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = JsonMappers.writer().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("source", snapshot.source());
      json.writeStringField("frontier", snapshot.frontier().toString());
      json.writeArrayFieldStart("matches");
      boolean truncated = false;
      int listed = 0;
      for (Change row : snapshot.rows()) {
        if (row.deleted() || !machine.fires(row.row())) {
          continue;
        }
        if (listed == maxMatches) {
          truncated = true;
          break;
        }
        writeMatch(json, definition.name(), row, RowJson.encode(machine.selected(row.row())), now);
        listed++;
      }
      json.writeEndArray();
      json.writeBooleanField("truncated", truncated);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("dry run answer not written", e);
    }
    return Buffer.buffer(out.toByteArray());
  }

  /** One match: its key, its whole row, and the FIRE payload (whose {@code data} keeps the selected fields). */
  private static void writeMatch(JsonGenerator json, String triggerName, Change row, String selected, Instant now)
      throws IOException {
    String key = CanonicalKey.json(row.key());
    String data = RowJson.encode(row.row());
    WebhookPayload payload = new WebhookPayload(EventId.of(triggerName, key, row.timestamp()), WebhookPayload.FIRE,
        triggerName, row.timestamp(), selected);
    json.writeStartObject();
    json.writeFieldName("key");
    json.writeRawValue(key);
    json.writeFieldName("row");
    json.writeRawValue(data);
    json.writeFieldName("payload");
    json.writeRawValue(new String(payload.encode(now), StandardCharsets.UTF_8));
    json.writeEndObject();
  }
}
