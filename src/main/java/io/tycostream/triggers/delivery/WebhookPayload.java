package io.tycostream.triggers.delivery;

import io.tycostream.triggers.json.ComputedErrorsMember;
import io.tycostream.triggers.json.JsonMappers;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Set;

/**
 * The body of one webhook (design.md §1), everything but the send time, which {@link #encode(Instant)} adds per
 * attempt.
 * <p>
 * {@code dataJson} is the row as already-encoded JSON text and is embedded verbatim, so numbers keep every digit
 * (a {@code numeric} of 30 digits is not squeezed through a double). {@link #encode(Instant)} returns the exact
 * bytes to sign and send; nothing may re-serialise them in between. When some computed fields of the event failed,
 * {@code dataJson} carries their errors as its last member ({@link ComputedErrorsMember}) and the body shows them as
 * {@code errors}, after {@code data}. Immutable and thread-safe.
 *
 * @param eventId         the event id, identical on every attempt (also the {@code webhook-id} header)
 * @param eventType       {@value #FIRE} or {@value #CLEAR}
 * @param triggerName     the trigger's name
 * @param sourceTimestamp the Materialize timestamp of the change, sent as a decimal string
 * @param dataJson        the row as a JSON object text
 */
public record WebhookPayload(String eventId, String eventType, String triggerName, BigInteger sourceTimestamp,
                             String dataJson) {

  /** A row started matching the trigger's fire condition. */
  public static final String FIRE = "FIRE";
  /** A matched row stopped matching (or was deleted). */
  public static final String CLEAR = "CLEAR";

  private static final Set<String> EVENT_TYPES = Set.of(FIRE, CLEAR);
  // thread-safe; generators and parsers are per call
  private static final JsonFactory JSON = JsonMappers.writer();
  private static final DateTimeFormatter SEND_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * @throws IllegalArgumentException if a field is missing, the event type is unknown, the source timestamp is
   *                                  negative, or {@code dataJson} is not exactly one JSON object
   */
  public WebhookPayload {
    requireText(eventId, "eventId");
    requireText(triggerName, "triggerName");
    if (!EVENT_TYPES.contains(eventType)) {
      throw new IllegalArgumentException("eventType must be FIRE or CLEAR, was " + eventType);
    }
    Objects.requireNonNull(sourceTimestamp, "sourceTimestamp");
    if (sourceTimestamp.signum() < 0) {
      throw new IllegalArgumentException("sourceTimestamp must not be negative, was " + sourceTimestamp);
    }
    requireJsonObject(dataJson);
  }

  /** The UTF-8 bytes of the payload with {@code timestamp} set to {@code sendTime} (UTC, milliseconds). */
  public byte[] encode(Instant sendTime) {
    Objects.requireNonNull(sendTime, "sendTime");
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + dataJson.length());
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("event_id", eventId);
      json.writeStringField("event_type", eventType);
      json.writeStringField("trigger_name", triggerName);
      json.writeStringField("timestamp", SEND_TIME.format(sendTime));
      json.writeStringField("source_timestamp", sourceTimestamp.toString());
      ComputedErrorsMember.Split data = ComputedErrorsMember.split(dataJson);
      json.writeFieldName("data");
      json.writeRawValue(data.data());
      if (data.errors() != null) {
        // computed fields that failed for this row: their values are null in data
        json.writeFieldName("errors");
        json.writeRawValue(data.errors());
      }
      json.writeEndObject();
    } catch (IOException e) {
      // a ByteArrayOutputStream cannot fail; anything here is a bug
      throw new UncheckedIOException("encoding webhook payload failed", e);
    }
    return out.toByteArray();
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
  }

  /** Streams over the text (no tree, no number conversion) so a bad row cannot produce a broken body. */
  private static void requireJsonObject(String dataJson) {
    if (dataJson == null) {
      throw new IllegalArgumentException("dataJson must not be null");
    }
    try (JsonParser parser = JSON.createParser(dataJson)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("dataJson must be a JSON object");
      }
      parser.skipChildren();
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("dataJson must hold exactly one JSON object");
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("dataJson is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("reading dataJson failed", e);
    }
  }
}
