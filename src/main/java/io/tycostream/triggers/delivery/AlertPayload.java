package io.tycostream.triggers.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tycostream.triggers.json.JsonMappers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The body of one alert webhook: {@code {"event_id", "event_type", "timestamp", "data"}}, shaped like a trigger
 * event without the trigger fields. {@code dataJson} was written by the alert raiser and is embedded verbatim;
 * {@link #encode} returns the exact bytes to sign and send. Immutable and thread-safe.
 *
 * @param eventId   the alert's deterministic id, also the {@code webhook-id} header
 * @param eventType such as {@code SOURCE_DISCONNECTED}
 * @param dataJson  the {@code data} object as JSON text
 */
record AlertPayload(String eventId, String eventType, String dataJson) {

  private static final JsonFactory JSON = JsonMappers.writer();
  private static final DateTimeFormatter SEND_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** The UTF-8 bytes of the payload with {@code timestamp} set to {@code sendTime} (UTC, milliseconds). */
  byte[] encode(Instant sendTime) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128 + dataJson.length());
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("event_id", eventId);
      json.writeStringField("event_type", eventType);
      json.writeStringField("timestamp", SEND_TIME.format(sendTime));
      json.writeFieldName("data");
      json.writeRawValue(dataJson);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding alert payload failed", e);
    }
    return out.toByteArray();
  }
}
