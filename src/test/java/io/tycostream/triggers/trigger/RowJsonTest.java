package io.tycostream.triggers.trigger;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.trigger.TriggerFixtures.ALL_TYPES;
import static io.tycostream.triggers.trigger.TriggerFixtures.row;
import static org.assertj.core.api.Assertions.assertThat;

/** Verifies that rows become payload JSON without losing precision, and come back with their types. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RowJsonTest {

  private static Map<String, Object> everyType() {
    return row("id", 1L, "quantity", -5L, "price", new BigDecimal("1.50"), "ratio", 0.25d, "symbol", "A\"",
      "active", true, "created", LocalDateTime.of(2026, 1, 15, 10, 30, 45, 500_000_000),
      "updated", OffsetDateTime.of(2026, 1, 15, 11, 30, 45, 0, ZoneOffset.ofHours(1)),
      "day", LocalDate.of(2026, 1, 15), "payload", new JsonObject().put("a", new JsonArray().add(1).add("x")),
      "tags", "{a,b}");
  }

  /** Verifies the JSON text of a row with every column type, in column order, timestamptz in UTC. */
  @Test
  void encodesEveryType() {
    assertThat(RowJson.encode(everyType())).isEqualTo("{\"id\":1,\"quantity\":-5,\"price\":1.50,\"ratio\":0.25,"
      + "\"symbol\":\"A\\\"\",\"active\":true,\"created\":\"2026-01-15T10:30:45.5\","
      + "\"updated\":\"2026-01-15T10:30:45Z\",\"day\":\"2026-01-15\",\"payload\":{\"a\":[1,\"x\"]},"
      + "\"tags\":\"{a,b}\"}");
  }

  /** Verifies that a 30-digit decimal survives encoding and decoding exactly. */
  @Test
  void keepsHighPrecisionDecimalsExact() {
    BigDecimal price = new BigDecimal("12345678901234567890.123456789");
    String json = RowJson.encode(row("price", price));
    assertThat(json).isEqualTo("{\"price\":12345678901234567890.123456789}");
    assertThat(RowJson.decode(json, ALL_TYPES).get("price")).isEqualTo(price);
  }

  /** Verifies that non-finite floats become strings and nulls stay null, and both decode back. */
  @Test
  void encodesNonFiniteFloatsAndNulls() {
    String json = RowJson.encode(row("ratio", Double.NaN, "quantity", null, "price", Double.NEGATIVE_INFINITY));
    assertThat(json).isEqualTo("{\"ratio\":\"NaN\",\"quantity\":null,\"price\":\"-Infinity\"}");
    assertThat(RowJson.decode("{\"ratio\":\"NaN\",\"quantity\":null}", ALL_TYPES))
      .containsEntry("ratio", Double.NaN).containsEntry("quantity", null);
  }

  /** Verifies that decoding gives back the Java types the column types document, in the same order. */
  @Test
  void decodesBackToColumnTypes() {
    Map<String, Object> original = everyType();
    Map<String, Object> decoded = RowJson.decode(RowJson.encode(original), ALL_TYPES);
    assertThat(decoded.keySet()).containsExactlyElementsOf(original.keySet());
    assertThat(decoded).containsEntry("id", 1L).containsEntry("price", new BigDecimal("1.50"))
      .containsEntry("ratio", 0.25d).containsEntry("created", original.get("created"))
      .containsEntry("updated", OffsetDateTime.of(2026, 1, 15, 10, 30, 45, 0, ZoneOffset.UTC))
      .containsEntry("day", original.get("day")).containsEntry("payload", original.get("payload"))
      .containsEntry("tags", "{a,b}").containsEntry("active", true);
  }

  /** Verifies that numeric NaN and infinities are written as strings and come back as the same values. */
  @Test
  void roundTripsSpecialNumericValues() {
    // GIVEN a stored row whose numeric column holds NaN or an infinity and whose float column holds an infinity
    Map<String, Object> nan = row("id", 1L, "price", Double.NaN, "ratio", Double.POSITIVE_INFINITY);
    Map<String, Object> below = row("id", 2L, "price", Double.NEGATIVE_INFINITY, "ratio", Double.NEGATIVE_INFINITY);
    // WHEN they are encoded (payload, stored state) and decoded with the schema
    String nanJson = RowJson.encode(nan);
    String belowJson = RowJson.encode(below);
    // THEN the JSON keeps the value as a string, and decoding gives the same values back (not null)
    assertThat(nanJson).isEqualTo("{\"id\":1,\"price\":\"NaN\",\"ratio\":\"Infinity\"}");
    assertThat(belowJson).isEqualTo("{\"id\":2,\"price\":\"-Infinity\",\"ratio\":\"-Infinity\"}");
    assertThat(RowJson.decode(nanJson, ALL_TYPES)).isEqualTo(nan);
    assertThat(RowJson.decode(belowJson, ALL_TYPES)).isEqualTo(below);
  }

  /** Verifies that a uint8 beyond Long.MAX_VALUE (a numeric column) is a JSON number and round-trips exactly. */
  @Test
  void roundTripsLargestUnsignedInteger() {
    BigDecimal uint8Max = new BigDecimal("18446744073709551615");
    String json = RowJson.encode(row("id", 1L, "price", uint8Max));
    assertThat(json).isEqualTo("{\"id\":1,\"price\":18446744073709551615}");
    assertThat(RowJson.decode(json, ALL_TYPES).get("price")).isEqualTo(uint8Max);
  }

  /** Verifies that numbers stored as strings (columns once read as text) decode as integer and numeric values. */
  @Test
  void decodesNumbersStoredAsStrings() {
    Map<String, Object> decoded = RowJson.decode("{\"quantity\":\"4294967295\",\"price\":\"18446744073709551615\"}",
      ALL_TYPES);
    assertThat(decoded).containsEntry("quantity", 4_294_967_295L)
      .containsEntry("price", new BigDecimal("18446744073709551615"));
  }
}
