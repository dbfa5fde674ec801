package io.tycostream.triggers.trigger.condition;

import io.tycostream.triggers.error.ServiceException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.trigger.TriggerFixtures.ALL_TYPES;
import static io.tycostream.triggers.trigger.TriggerFixtures.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Verifies that {@code {"_param": …}} placeholders behave exactly like the literal written in their place, and that
 * every mistake names the field to fix: the placeholder for a missing value, {@code params.<name>} for a value that
 * does not fit or is not used.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConditionParametersTest {

  private static Condition compile(String where, String params) {
    ConditionParameters parameters = new ConditionParameters(new JsonObject(params));
    Condition condition = parameters.compile(new ConditionCompiler(ALL_TYPES), new JsonObject(where), "fire");
    parameters.requireAllUsed();
    return condition;
  }

  /** Verifies that a parameter compares like the literal it stands for, and another value moves the threshold. */
  @Test
  void parameterActsAsTheLiteral() {
    // GIVEN quantity > threshold, with threshold 10 and then 20
    String where = "{\"quantity\": {\"_gt\": {\"_param\": \"threshold\"}}}";
    Condition ten = compile(where, "{\"threshold\": 10}");
    Condition twenty = compile(where, "{\"threshold\": 20}");
    // WHEN / THEN
    assertThat(ten.matches(row("quantity", 15L))).isTrue();
    assertThat(twenty.matches(row("quantity", 15L))).isFalse();
    assertThat(twenty.matches(row("quantity", 21L))).isTrue();
  }

  /** Verifies that a list parameter fills _in, and placeholders may be elements of a list, in nested connectives. */
  @Test
  void fillsListsAndListElementsInsideConnectives() {
    // GIVEN symbol IN desks OR (symbol IN ('Z', extra) AND price >= min)
    Condition condition = compile("{\"_or\": [{\"symbol\": {\"_in\": {\"_param\": \"desks\"}}},"
        + " {\"_and\": [{\"symbol\": {\"_in\": [\"Z\", {\"_param\": \"extra\"}]}},"
        + " {\"price\": {\"_gte\": {\"_param\": \"min\"}}}]}]}",
        "{\"desks\": [\"fx\", \"rates\"], \"extra\": \"Y\", \"min\": 0.1}");
    // WHEN / THEN: the decimal stays exact (0.1 is not 0.1000000000000000055…)
    assertThat(condition.matches(row("symbol", "rates"))).isTrue();
    assertThat(condition.matches(row("symbol", "Y", "price", new BigDecimal("0.1")))).isTrue();
    assertThat(condition.matches(row("symbol", "Y", "price", new BigDecimal("0.09")))).isFalse();
    assertThat(condition.matches(row("symbol", "Q", "price", new BigDecimal("5")))).isFalse();
  }

  /** Verifies that a parameter is checked against the column like a literal: timestamps parse, text is no number. */
  @Test
  void checksTheValueAgainstTheColumnType() {
    assertThat(compile("{\"updated\": {\"_lt\": {\"_param\": \"before\"}}}", "{\"before\": \"2026-01-15T10:00:00Z\"}")
        .matches(row("updated", java.time.OffsetDateTime.parse("2026-01-15T09:00:00Z")))).isTrue();
    assertRefused("{\"quantity\": {\"_gt\": {\"_param\": \"threshold\"}}}", "{\"threshold\": \"many\"}",
        "params.threshold", "invalid_field", "fire.quantity._gt");
    assertRefused("{\"symbol\": {\"_in\": {\"_param\": \"desks\"}}}", "{\"desks\": \"fx\"}",
        "params.desks", "invalid_field", "non-empty array");
    assertRefused("{\"quantity\": {\"_in\": {\"_param\": \"sizes\"}}}", "{\"sizes\": [1, \"two\"]}",
        "params.sizes", "invalid_field", "fire.quantity._in[1]");
  }

  /** Verifies that a placeholder without a value is refused at the placeholder, naming the parameter. */
  @Test
  void refusesAPlaceholderWithoutValue() {
    assertRefused("{\"quantity\": {\"_gt\": {\"_param\": \"threshold\"}}}", "{\"limit\": 5}",
        "fire.quantity._gt._param", "invalid_condition", "'threshold' has no value");
    assertRefused("{\"quantity\": {\"_gt\": {\"_param\": 7}}}", "{}", "fire.quantity._gt._param",
        "invalid_condition", "expected the name of a parameter");
  }

  /** Verifies that a value no placeholder uses is refused (a misspelt name would otherwise be silently ignored). */
  @Test
  void refusesAnUnusedValue() {
    assertRefused("{\"quantity\": {\"_gt\": {\"_param\": \"threshold\"}}}", "{\"threshold\": 5, \"thresold\": 6}",
        "params.thresold", "invalid_field", "not used");
  }

  /** Verifies that a key pinned by a parameter is found for the key index like a pinned literal. */
  @Test
  void pinnedParameterIsARequiredEquality() {
    JsonObject filled = ConditionParameters.filled(new JsonObject("{\"symbol\": {\"_eq\": {\"_param\": \"desk\"}},"
        + " \"quantity\": {\"_gt\": 5}}"), new JsonObject("{\"desk\": \"fx\"}"));
    assertThat(RequiredEquality.of(filled, ALL_TYPES.column("symbol").orElseThrow())).contains("fx");
  }

  private static void assertRefused(String where, String params, String field, String code, String messagePart) {
    assertThatThrownBy(() -> compile(where, params))
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.code().code()).isEqualTo(code);
          assertThat(e.getMessage()).contains(messagePart);
        });
  }
}
