package io.tycostream.triggers.trigger.condition;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.trigger.TriggerFixtures.ALL_TYPES;
import static io.tycostream.triggers.trigger.TriggerFixtures.row;
import static org.assertj.core.api.Assertions.assertThat;

/** Verifies that NULLs follow SQL three-valued logic. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThreeValuedLogicTest {

  private static final Map<String, Object> NULL_QUANTITY = row("quantity", null, "symbol", "A");
  private static final Map<String, Object> NO_QUANTITY = row("symbol", "A");

  private static Truth evaluate(String json, Map<String, Object> row) {
    return ConditionCompiler.compile(new JsonObject(json), ALL_TYPES, "fire").evaluate(row);
  }

  /** Verifies that every comparison with a NULL or absent value is UNKNOWN, including _neq and _nin. */
  @Test
  void comparisonsWithNullAreUnknown() {
    for (String json : new String[] {"{\"quantity\": {\"_eq\": 1}}", "{\"quantity\": {\"_neq\": 1}}",
      "{\"quantity\": {\"_gt\": 1}}", "{\"quantity\": {\"_in\": [1]}}", "{\"quantity\": {\"_nin\": [1]}}"}) {
      assertThat(evaluate(json, NULL_QUANTITY)).as(json).isEqualTo(Truth.UNKNOWN);
      assertThat(evaluate(json, NO_QUANTITY)).as(json).isEqualTo(Truth.UNKNOWN);
    }
  }

  /** Verifies that _is_null tests NULL and absent values. */
  @Test
  void isNullTestsNull() {
    assertThat(evaluate("{\"quantity\": {\"_is_null\": true}}", NULL_QUANTITY)).isEqualTo(Truth.TRUE);
    assertThat(evaluate("{\"quantity\": {\"_is_null\": true}}", NO_QUANTITY)).isEqualTo(Truth.TRUE);
    assertThat(evaluate("{\"quantity\": {\"_is_null\": false}}", NULL_QUANTITY)).isEqualTo(Truth.FALSE);
    assertThat(evaluate("{\"quantity\": {\"_is_null\": false}}", row("quantity", 0L))).isEqualTo(Truth.TRUE);
  }

  /** Verifies that NOT UNKNOWN stays UNKNOWN, so a negated comparison on NULL does not match. */
  @Test
  void notOfUnknownIsUnknown() {
    assertThat(evaluate("{\"_not\": {\"quantity\": {\"_gt\": 5}}}", NULL_QUANTITY)).isEqualTo(Truth.UNKNOWN);
  }

  /** Verifies that AND and OR combine UNKNOWN as SQL does. */
  @Test
  void andOrCombineUnknown() {
    // FALSE AND UNKNOWN = FALSE; TRUE AND UNKNOWN = UNKNOWN
    assertThat(evaluate("{\"symbol\": {\"_eq\": \"B\"}, \"quantity\": {\"_gt\": 1}}", NULL_QUANTITY))
      .isEqualTo(Truth.FALSE);
    assertThat(evaluate("{\"symbol\": {\"_eq\": \"A\"}, \"quantity\": {\"_gt\": 1}}", NULL_QUANTITY))
      .isEqualTo(Truth.UNKNOWN);
    // TRUE OR UNKNOWN = TRUE; FALSE OR UNKNOWN = UNKNOWN
    assertThat(evaluate("{\"_or\": [{\"quantity\": {\"_gt\": 1}}, {\"symbol\": {\"_eq\": \"A\"}}]}", NULL_QUANTITY))
      .isEqualTo(Truth.TRUE);
    assertThat(evaluate("{\"_or\": [{\"quantity\": {\"_gt\": 1}}, {\"symbol\": {\"_eq\": \"B\"}}]}", NULL_QUANTITY))
      .isEqualTo(Truth.UNKNOWN);
    // NOT (FALSE OR UNKNOWN) = UNKNOWN: never matches
    assertThat(ConditionCompiler.compile(new JsonObject(
        "{\"_not\": {\"_or\": [{\"quantity\": {\"_gt\": 1}}, {\"symbol\": {\"_eq\": \"B\"}}]}}"), ALL_TYPES, "fire")
      .matches(NULL_QUANTITY)).isFalse();
  }

  /** Verifies that a row value of a class the column type never produces is UNKNOWN rather than an error. */
  @Test
  void unexpectedValueClassIsUnknown() {
    assertThat(evaluate("{\"symbol\": {\"_eq\": \"A\"}}", row("symbol", 5L))).isEqualTo(Truth.UNKNOWN);
    assertThat(evaluate("{\"symbol\": {\"_in\": [\"A\"]}}", row("symbol", 5L))).isEqualTo(Truth.UNKNOWN);
  }
}
