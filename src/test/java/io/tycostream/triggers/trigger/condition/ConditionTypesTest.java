package io.tycostream.triggers.trigger.condition;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.trigger.TriggerFixtures.ALL_TYPES;
import static io.tycostream.triggers.trigger.TriggerFixtures.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verifies that literals compare with row values by the rules of each column type. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConditionTypesTest {

  private static Condition compile(String json) {
    return compile(new JsonObject(json));
  }

  private static Condition compile(JsonObject json) {
    return ConditionCompiler.compile(json, ALL_TYPES, "fire");
  }

  private static Condition on(String column, String operator, Object literal) {
    return compile(new JsonObject().put(column, new JsonObject().put(operator, literal)));
  }

  /** Verifies that a numeric column compares exactly with the decimal the user wrote (0.1 stays 0.1). */
  @Test
  void numericComparesExactDecimals() {
    // GIVEN price = 0.1 parsed from JSON text (a Double inside the JsonObject)
    Condition condition = compile("{\"price\": {\"_eq\": 0.1}}");
    // WHEN / THEN scale does not matter, but any difference does
    assertThat(condition.matches(row("price", new BigDecimal("0.1")))).isTrue();
    assertThat(condition.matches(row("price", new BigDecimal("0.100")))).isTrue();
    assertThat(condition.matches(row("price", new BigDecimal("0.1000000000000000001")))).isFalse();
  }

  /** Verifies that a high-precision numeric literal keeps every digit. */
  @Test
  void numericKeepsHighPrecisionLiterals() {
    // GIVEN price > 12345678901234567890.123456789
    Condition condition = on("price", "_gt", new BigDecimal("12345678901234567890.123456789"));
    // WHEN / THEN one unit in the last place decides
    assertThat(condition.matches(row("price", new BigDecimal("12345678901234567890.123456790")))).isTrue();
    assertThat(condition.matches(row("price", new BigDecimal("12345678901234567890.123456789")))).isFalse();
  }

  /** Verifies that an integer column compares integral, fractional and huge literals exactly. */
  @Test
  void integerComparesAnyLiteralExactly() {
    assertThat(compile("{\"quantity\": {\"_gt\": 5.5}}").matches(row("quantity", 6L))).isTrue();
    assertThat(compile("{\"quantity\": {\"_gt\": 5.5}}").matches(row("quantity", 5L))).isFalse();
    assertThat(compile("{\"quantity\": {\"_eq\": 5.0}}").matches(row("quantity", 5L))).isTrue();
    assertThat(compile("{\"quantity\": {\"_eq\": 5.5}}").matches(row("quantity", 5L))).isFalse();
    Condition belowHuge = on("quantity", "_lt", new BigInteger("10000000000000000000"));
    assertThat(belowHuge.matches(row("quantity", Long.MAX_VALUE))).isTrue();
    Condition aboveMin = compile("{\"quantity\": {\"_gt\": -9223372036854775808}}");
    assertThat(aboveMin.matches(row("quantity", Long.MIN_VALUE))).isFalse();
    assertThat(aboveMin.matches(row("quantity", Long.MIN_VALUE + 1))).isTrue();
  }

  /** Verifies that a float column compares as PostgreSQL does: -0 = 0 and NaN above every number. */
  @Test
  void floatFollowsPostgresOrdering() {
    assertThat(compile("{\"ratio\": {\"_eq\": 0.1}}").matches(row("ratio", 0.1d))).isTrue();
    assertThat(compile("{\"ratio\": {\"_eq\": 0}}").matches(row("ratio", -0.0d))).isTrue();
    assertThat(compile("{\"ratio\": {\"_gt\": 1e308}}").matches(row("ratio", Double.NaN))).isTrue();
    assertThat(compile("{\"ratio\": {\"_lte\": 2}}").matches(row("ratio", 2.0000001d))).isFalse();
  }

  /** Verifies that text orders by String.compareTo and _in/_nin test membership. */
  @Test
  void textOrdersAndTestsMembership() {
    Condition fromB = compile("{\"symbol\": {\"_gte\": \"B\"}}");
    assertThat(fromB.matches(row("symbol", "B"))).isTrue();
    assertThat(fromB.matches(row("symbol", "Ca"))).isTrue();
    assertThat(fromB.matches(row("symbol", "Ab"))).isFalse();
    Condition notAorB = compile("{\"symbol\": {\"_nin\": [\"A\", \"B\"]}}");
    assertThat(notAorB.matches(row("symbol", "C"))).isTrue();
    assertThat(notAorB.matches(row("symbol", "A"))).isFalse();
  }

  /** Verifies that booleans support equality and membership. */
  @Test
  void booleanSupportsEquality() {
    assertThat(compile("{\"active\": {\"_eq\": false}}").matches(row("active", false))).isTrue();
    assertThat(compile("{\"active\": {\"_neq\": false}}").matches(row("active", false))).isFalse();
    assertThat(compile("{\"active\": {\"_in\": [true]}}").matches(row("active", true))).isTrue();
    assertThat(compile("{\"active\": {\"_nin\": [true]}}").matches(row("active", true))).isFalse();
  }

  /** Verifies that timestamptz literals in the usual spellings compare by instant, whatever the offsets. */
  @Test
  void timestamptzComparesInstants() {
    OffsetDateTime sameInstant = OffsetDateTime.of(2026, 1, 15, 11, 30, 45, 0, ZoneOffset.ofHours(1));
    for (String literal : new String[] {"2026-01-15T10:30:45Z", "2026-01-15 10:30:45+00", "2026-01-15T16:00:45+0530",
      "2026-01-15T05:30:45-05:00", "2026-01-15T10:30:45.000Z"}) {
      assertThat(on("updated", "_eq", literal).matches(row("updated", sameInstant))).as(literal).isTrue();
    }
    Condition after = on("updated", "_gt", "2026-01-15T10:30:45Z");
    assertThat(after.matches(row("updated", sameInstant.plusNanos(1)))).isTrue();
    assertThat(after.matches(row("updated", sameInstant))).isFalse();
  }

  /** Verifies that a timestamptz literal without offset is refused. */
  @Test
  void timestamptzNeedsOffset() {
    assertThatThrownBy(() -> on("updated", "_gt", "2026-01-15T10:30:45"))
      .isInstanceOfSatisfying(ConditionException.class, e -> {
        assertThat(e.field()).isEqualTo("fire.updated._gt");
        assertThat(e.getMessage()).contains("with an offset or Z");
      });
  }

  /** Verifies that timestamp and date columns compare with ISO-8601 literals. */
  @Test
  void timestampAndDateCompare() {
    LocalDateTime created = LocalDateTime.of(2026, 1, 15, 10, 30, 45, 500_000_000);
    assertThat(on("created", "_gt", "2026-01-15 10:30:45").matches(row("created", created))).isTrue();
    assertThat(on("created", "_gte", "2026-01-16").matches(row("created", created))).isFalse();
    assertThat(on("created", "_eq", "2026-01-15T10:30:45.5").matches(row("created", created))).isTrue();
    assertThatThrownBy(() -> on("created", "_eq", "2026-01-15T10:30:45Z")).isInstanceOf(ConditionException.class);
    Condition january = compile("{\"day\": {\"_gte\": \"2026-01-01\", \"_lte\": \"2026-01-31\"}}");
    assertThat(january.matches(row("day", LocalDate.of(2026, 1, 31)))).isTrue();
    assertThat(january.matches(row("day", LocalDate.of(2026, 2, 1)))).isFalse();
    assertThatThrownBy(() -> on("day", "_eq", "15/01/2026")).isInstanceOf(ConditionException.class);
  }

  /** Verifies that membership of numbers compares exactly element by element. */
  @Test
  void numericMembershipIsExact() {
    Condition condition = on("price", "_in", new JsonArray().add(1).add(2.5).add(new BigDecimal("3.00")));
    assertThat(condition.matches(row("price", new BigDecimal("2.50")))).isTrue();
    assertThat(condition.matches(row("price", new BigDecimal("3")))).isTrue();
    assertThat(condition.matches(row("price", new BigDecimal("2.51")))).isFalse();
  }

  /** Verifies that other-typed columns compare by text and json columns test null only. */
  @Test
  void otherComparesTextAndJsonTestsNull() {
    assertThat(on("tags", "_eq", "{a,b}").matches(row("tags", "{a,b}"))).isTrue();
    assertThat(on("tags", "_neq", "{a,b}").matches(row("tags", "{a,b}"))).isFalse();
    Condition hasPayload = on("payload", "_is_null", false);
    assertThat(hasPayload.matches(row("payload", new JsonObject().put("a", 1)))).isTrue();
    assertThat(hasPayload.matches(row("payload", null))).isFalse();
  }
}
