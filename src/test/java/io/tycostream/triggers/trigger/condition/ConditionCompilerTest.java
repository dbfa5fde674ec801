package io.tycostream.triggers.trigger.condition;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.trigger.TriggerFixtures.ALL_TYPES;
import static io.tycostream.triggers.trigger.TriggerFixtures.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verifies that the compiler accepts the Hasura-style shape and reports every mistake with its JSON path. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConditionCompilerTest {

  private static Condition compile(String json) {
    return ConditionCompiler.compile(new JsonObject(json), ALL_TYPES, "fire");
  }

  private static void assertRejected(String json, String field, String messagePart) {
    assertThatThrownBy(() -> compile(json))
      .isInstanceOfSatisfying(ConditionException.class, e -> {
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.code().code()).isEqualTo("invalid_condition");
        assertThat(e.getMessage()).contains(messagePart);
      });
  }

  /** Verifies that several operators on one column must all hold. */
  @Test
  void andsOperatorsOnOneColumn() {
    // GIVEN 5 < quantity <= 10
    Condition condition = compile("{\"quantity\": {\"_gt\": 5, \"_lte\": 10}}");
    // WHEN / THEN
    assertThat(condition.matches(row("quantity", 5L))).isFalse();
    assertThat(condition.matches(row("quantity", 6L))).isTrue();
    assertThat(condition.matches(row("quantity", 10L))).isTrue();
    assertThat(condition.matches(row("quantity", 11L))).isFalse();
  }

  /** Verifies that sibling keys are ANDed, also beside _or. */
  @Test
  void andsSiblingKeysBesideOr() {
    // GIVEN symbol = 'A' AND (quantity < 0 OR quantity > 100)
    Condition condition = compile("{\"symbol\": {\"_eq\": \"A\"},"
      + " \"_or\": [{\"quantity\": {\"_lt\": 0}}, {\"quantity\": {\"_gt\": 100}}]}");
    // WHEN / THEN
    assertThat(condition.matches(row("symbol", "A", "quantity", 101L))).isTrue();
    assertThat(condition.matches(row("symbol", "A", "quantity", -1L))).isTrue();
    assertThat(condition.matches(row("symbol", "A", "quantity", 50L))).isFalse();
    assertThat(condition.matches(row("symbol", "B", "quantity", 101L))).isFalse();
  }

  /** Verifies that _and, _not and nesting combine as written. */
  @Test
  void combinesAndWithNot() {
    // GIVEN quantity >= 1 AND NOT (symbol IN ('A', 'B'))
    Condition condition = compile("{\"_and\": [{\"quantity\": {\"_gte\": 1}},"
      + " {\"_not\": {\"symbol\": {\"_in\": [\"A\", \"B\"]}}}]}");
    // WHEN / THEN
    assertThat(condition.matches(row("quantity", 1L, "symbol", "C"))).isTrue();
    assertThat(condition.matches(row("quantity", 1L, "symbol", "B"))).isFalse();
    assertThat(condition.matches(row("quantity", 0L, "symbol", "C"))).isFalse();
  }

  /** Verifies that an empty object and an empty _and always hold (Hasura semantics). */
  @Test
  void emptyConditionsAlwaysHold() {
    Map<String, Object> anyRow = row("quantity", 1L);
    assertThat(compile("{}").evaluate(anyRow)).isEqualTo(Truth.TRUE);
    assertThat(compile("{\"_and\": []}").evaluate(anyRow)).isEqualTo(Truth.TRUE);
    assertThat(compile("{}").evaluate(Map.of())).isEqualTo(Truth.TRUE);
  }

  /** Verifies that a single object is accepted where _or expects a list, as GraphQL coerces it. */
  @Test
  void acceptsSingleObjectForOr() {
    Condition condition = compile("{\"_or\": {\"quantity\": {\"_eq\": 3}}}");
    assertThat(condition.matches(row("quantity", 3L))).isTrue();
    assertThat(condition.matches(row("quantity", 4L))).isFalse();
  }

  /** Verifies that a plain Map of JSON values is accepted like a JsonObject. */
  @Test
  void acceptsMapInput() {
    Condition condition = ConditionCompiler.compile(Map.of("quantity", Map.of("_eq", 3)), ALL_TYPES, "clear");
    assertThat(condition.matches(row("quantity", 3L))).isTrue();
  }

  /** Verifies that an unknown column is reported at its path with the columns the source has. */
  @Test
  void rejectsUnknownColumn() {
    assertRejected("{\"nope\": {\"_eq\": 1}}", "fire.nope", "unknown column 'nope'");
    assertRejected("{\"nope\": {\"_eq\": 1}}", "fire.nope", "quantity");
    assertRejected("{\"_nand\": []}", "fire._nand", "expected a column name, _and, _or or _not");
  }

  /** Verifies that an unknown operator is reported at its path. */
  @Test
  void rejectsUnknownOperator() {
    assertRejected("{\"quantity\": {}}", "fire.quantity", "expected at least one operator");
    assertRejected("{\"quantity\": {\"_like\": \"a%\"}}", "fire.quantity._like", "unknown operator '_like'");
  }

  /** Verifies that a wrongly typed literal is reported with what was expected and what was given. */
  @Test
  void rejectsWronglyTypedLiteral() {
    assertRejected("{\"quantity\": {\"_gt\": \"abc\"}}", "fire.quantity._gt",
      "expected a number for integer column 'quantity', got string \"abc\"");
    assertRejected("{\"symbol\": {\"_eq\": 5}}", "fire.symbol._eq", "expected a string for text column 'symbol'");
    assertRejected("{\"active\": {\"_eq\": \"yes\"}}", "fire.active._eq", "expected true or false");
  }

  /** Verifies that a bad element deep inside _and/_in is reported with array indexes in the path. */
  @Test
  void reportsPathOfBadArrayElement() {
    assertRejected("{\"_and\": [{\"quantity\": {\"_gt\": 1}}, {\"price\": {\"_in\": [1, 2, \"x\"]}}]}",
      "fire._and[1].price._in[2]", "expected a number for numeric column 'price', got string \"x\"");
    assertRejected("{\"symbol\": {\"_nin\": [\"a\", null]}}", "fire.symbol._nin[1]", "use _is_null");
  }

  /** Verifies that null is refused as a comparison operand and _is_null is pointed to. */
  @Test
  void rejectsNullOperand() {
    assertRejected("{\"quantity\": {\"_eq\": null}}", "fire.quantity._eq", "use {\"_is_null\": true}");
    assertRejected("{\"quantity\": {\"_is_null\": \"yes\"}}", "fire.quantity._is_null", "expected true or false");
  }

  /** Verifies that operators a column type cannot support are refused. */
  @Test
  void rejectsOperatorsTheTypeCannotSupport() {
    assertRejected("{\"active\": {\"_gt\": true}}", "fire.active._gt", "not supported on boolean column 'active'");
    assertRejected("{\"payload\": {\"_eq\": \"x\"}}", "fire.payload._eq", "only _is_null");
    assertRejected("{\"tags\": {\"_lt\": \"x\"}}", "fire.tags._lt", "not supported on other column 'tags'");
  }

  /** Verifies that malformed structures are refused at the right place. */
  @Test
  void rejectsMalformedStructure() {
    assertRejected("{\"quantity\": 5}", "fire.quantity", "expected an object of operators");
    assertRejected("{\"symbol\": {\"_in\": []}}", "fire.symbol._in", "non-empty array");
    assertRejected("{\"symbol\": {\"_in\": \"A\"}}", "fire.symbol._in", "non-empty array");
    assertRejected("{\"_or\": []}", "fire._or", "at least one condition");
    assertRejected("{\"_and\": [5]}", "fire._and[0]", "expected an object");
    assertRejected("{\"_not\": [{}]}", "fire._not", "expected an object");
    assertThatThrownBy(() -> ConditionCompiler.compile("x", ALL_TYPES, "clear"))
      .isInstanceOfSatisfying(ConditionException.class, e -> assertThat(e.field()).isEqualTo("clear"));
  }
}
