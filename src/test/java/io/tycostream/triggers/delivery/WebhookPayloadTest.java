package io.tycostream.triggers.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies that the webhook body carries the design.md §1 contract, byte for byte as a receiver parses it. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebhookPayloadTest {

  private static final ObjectMapper RECEIVER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
  private static final String EVENT_ID = "3f9a0c1d2e3f405162738495a6b7c8d9";
  private static final BigInteger MZ_TIMESTAMP = new BigInteger("1705316445123");

  private static JsonNode parse(byte[] body) throws Exception {
    return RECEIVER.readTree(body);
  }

  /** Verifies that every field is present, in contract order, with the values given. */
  @Test
  void carriesEveryContractFieldInOrder() throws Exception {
    // GIVEN a FIRE event for a row
    WebhookPayload payload = new WebhookPayload(EVENT_ID, WebhookPayload.FIRE, "risk_position_alert", MZ_TIMESTAMP,
        "{\"account\":\"A-7\",\"net_position\":10250.5}");

    // WHEN encoded for an attempt sent at 10:30:45.123
    JsonNode body = parse(payload.encode(Instant.parse("2026-01-15T10:30:45.123Z")));

    // THEN a receiver reads the contract
    List<String> names = new ArrayList<>();
    body.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("event_id", "event_type", "trigger_name", "timestamp", "source_timestamp",
        "data");
    assertThat(body.get("event_id").asText()).isEqualTo(EVENT_ID);
    assertThat(body.get("event_type").asText()).isEqualTo("FIRE");
    assertThat(body.get("trigger_name").asText()).isEqualTo("risk_position_alert");
    assertThat(body.get("timestamp").asText()).isEqualTo("2026-01-15T10:30:45.123Z");
    assertThat(body.get("source_timestamp").isTextual()).isTrue();
    assertThat(body.get("source_timestamp").asText()).isEqualTo("1705316445123");
    assertThat(body.get("data").get("account").asText()).isEqualTo("A-7");
    assertThat(body.get("data").get("net_position").decimalValue()).isEqualByComparingTo("10250.5");
  }

  /** Verifies that the send time always has exactly three fraction digits, in UTC. */
  @Test
  void formatsSendTimeAsUtcWithMilliseconds() throws Exception {
    // GIVEN one payload
    WebhookPayload payload = new WebhookPayload(EVENT_ID, WebhookPayload.CLEAR, "t", MZ_TIMESTAMP, "{}");

    // WHEN sent at a whole second and at a time with sub-millisecond digits
    String whole = parse(payload.encode(Instant.parse("2026-01-15T10:30:45Z"))).get("timestamp").asText();
    String fine = parse(payload.encode(Instant.parse("2026-03-01T00:00:00.123987654Z"))).get("timestamp").asText();

    // THEN both carry milliseconds (truncated) and a Z
    assertThat(whole).isEqualTo("2026-01-15T10:30:45.000Z");
    assertThat(fine).isEqualTo("2026-03-01T00:00:00.123Z");
  }

  /** Verifies that numbers in the row keep every digit, because the row JSON is embedded verbatim. */
  @Test
  void keepsNumericPrecisionOfTheRow() throws Exception {
    // GIVEN a row with a numeric beyond double precision and a huge integer
    String row = "{\"amount\":12345678901234567890.123456789,\"count\":98765432109876543210,\"ratio\":1e-30}";
    WebhookPayload payload = new WebhookPayload(EVENT_ID, WebhookPayload.FIRE, "t", MZ_TIMESTAMP, row);

    // WHEN encoded
    byte[] bytes = payload.encode(Instant.parse("2026-01-15T10:30:45.123Z"));
    JsonNode data = parse(bytes).get("data");

    // THEN the receiver reads the exact values, and the row text is in the body unchanged
    assertThat(data.get("amount").decimalValue()).isEqualTo(new BigDecimal("12345678901234567890.123456789"));
    assertThat(data.get("count").bigIntegerValue()).isEqualTo(new BigInteger("98765432109876543210"));
    assertThat(data.get("ratio").decimalValue()).isEqualByComparingTo("1e-30");
    assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"data\":" + row);
  }

  /** Verifies that quotes, backslashes, control characters and non-ASCII text survive in the trigger name. */
  @Test
  void escapesTriggerNameCorrectly() throws Exception {
    // GIVEN a name with quotes, a backslash, a newline, accents, CJK and an emoji (surrogate pair)
    String name = "risk \"alert\" \\ line\nbreak — café 日本 😀";
    WebhookPayload payload = new WebhookPayload(EVENT_ID, WebhookPayload.FIRE, name, MZ_TIMESTAMP,
        "{\"note\":\"naïve\"}");

    // WHEN encoded
    byte[] bytes = payload.encode(Instant.parse("2026-01-15T10:30:45.123Z"));

    // THEN a receiver decodes the same text, and the bytes are valid UTF-8 (the emoji is 4 bytes, not escapes)
    JsonNode body = parse(bytes);
    assertThat(body.get("trigger_name").asText()).isEqualTo(name);
    assertThat(body.get("data").get("note").asText()).isEqualTo("naïve");
    assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("😀");
  }

  /** Verifies that encoding is deterministic for a given send time, so a signed body is reproducible. */
  @Test
  void sameSendTimeGivesSameBytes() {
    // GIVEN one payload
    WebhookPayload payload = new WebhookPayload(EVENT_ID, WebhookPayload.FIRE, "t", MZ_TIMESTAMP, "{\"a\": [1, 2]}");
    Instant sendTime = Instant.parse("2026-01-15T10:30:45.123Z");

    // WHEN encoded twice / THEN identical bytes, with the row's own whitespace kept
    assertThat(payload.encode(sendTime)).isEqualTo(payload.encode(sendTime));
    assertThat(new String(payload.encode(sendTime), StandardCharsets.UTF_8)).endsWith("\"data\":{\"a\": [1, 2]}}");
  }

  /** Verifies that invalid inputs are refused before they could produce a broken body. */
  @Test
  void refusesInvalidFields() {
    // GIVEN / WHEN / THEN each invalid input names the field
    assertThatThrownBy(() -> new WebhookPayload(EVENT_ID, "MATCH", "t", MZ_TIMESTAMP, "{}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventType");
    assertThatThrownBy(() -> new WebhookPayload("", "FIRE", "t", MZ_TIMESTAMP, "{}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventId");
    assertThatThrownBy(() -> new WebhookPayload(EVENT_ID, "FIRE", null, MZ_TIMESTAMP, "{}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("triggerName");
    assertThatThrownBy(() -> new WebhookPayload(EVENT_ID, "FIRE", "t", BigInteger.valueOf(-1), "{}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sourceTimestamp");
    assertThatThrownBy(() -> new WebhookPayload(EVENT_ID, "FIRE", "t", MZ_TIMESTAMP, "[1]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON object");
    assertThatThrownBy(() -> new WebhookPayload(EVENT_ID, "FIRE", "t", MZ_TIMESTAMP, "{\"a\":1} {}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one");
    assertThatThrownBy(() -> new WebhookPayload(EVENT_ID, "FIRE", "t", MZ_TIMESTAMP, "{\"a\":}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
  }
}
