package io.tycostream.triggers.trigger.condition;

import io.tycostream.triggers.source.ColumnType;
import io.tycostream.triggers.source.SourceColumn;
import io.tycostream.triggers.source.SourceSchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.trigger.TriggerFixtures.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Verifies conditions on Materialize's unsigned integers and on the special values NaN, Infinity and -Infinity of
 * numeric and float columns.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpecialNumbersConditionTest {

  /** Column types as the subscribe decoder discovers them: uint2/uint4 are integer, uint8 is numeric. */
  private static final SourceSchema SCHEMA = new SourceSchema(List.of(
    new SourceColumn("id", ColumnType.INTEGER, "int4"),
    new SourceColumn("qty", ColumnType.INTEGER, "uint4"),
    new SourceColumn("small", ColumnType.INTEGER, "uint2"),
    new SourceColumn("big", ColumnType.NUMERIC, "uint8"),
    new SourceColumn("price", ColumnType.NUMERIC, "numeric"),
    new SourceColumn("ratio", ColumnType.FLOAT, "float8"),
    new SourceColumn("single", ColumnType.FLOAT, "float4")), List.of("id"));

  private static final BigDecimal UINT8_MAX = new BigDecimal("18446744073709551615");

  /** Row values of a numeric column in PostgreSQL's order: -Infinity < finite values < Infinity < NaN. */
  private static final List<Object> NUMERIC_IN_ORDER = List.of(Double.NEGATIVE_INFINITY, new BigDecimal("-1e30"),
    new BigDecimal("0"), new BigDecimal("2.5"), new BigDecimal("1e30"), Double.POSITIVE_INFINITY, Double.NaN);
  /** The same values as condition literals. */
  private static final List<Object> LITERALS_IN_ORDER = List.of("-Infinity", new BigDecimal("-1e30"), 0, 2.5,
    new BigDecimal("1e30"), "Infinity", "NaN");

  private static Condition compile(String json) {
    return ConditionCompiler.compile(new JsonObject(json), SCHEMA, "fire");
  }

  private static Condition on(String column, String operator, Object literal) {
    return ConditionCompiler.compile(new JsonObject().put(column, new JsonObject().put(operator, literal)), SCHEMA,
      "fire");
  }

  /** Verifies that unsigned integer columns compare with integer literals, uint8 exactly beyond Long.MAX_VALUE. */
  @Test
  void unsignedColumnsCompareWithIntegerLiterals() {
    // GIVEN conditions on uint4, uint2 and uint8 columns
    Condition qtyAboveFive = compile("{\"qty\": {\"_gt\": 5}}");
    Condition bigAboveFive = compile("{\"big\": {\"_gt\": 5}}");
    Condition bigIsMax = compile("{\"big\": {\"_eq\": 18446744073709551615}}");
    // WHEN / THEN they compare numerically (a text comparison would put "10" below "5")
    assertThat(qtyAboveFive.matches(row("qty", 10L))).isTrue();
    assertThat(qtyAboveFive.matches(row("qty", 5L))).isFalse();
    assertThat(qtyAboveFive.matches(row("qty", 4_294_967_295L))).isTrue();
    assertThat(compile("{\"small\": {\"_lte\": 65535}}").matches(row("small", 65_535L))).isTrue();
    assertThat(bigAboveFive.matches(row("big", UINT8_MAX))).isTrue();
    assertThat(bigAboveFive.matches(row("big", new BigDecimal("5")))).isFalse();
    assertThat(bigIsMax.matches(row("big", UINT8_MAX))).isTrue();
    assertThat(bigIsMax.matches(row("big", UINT8_MAX.subtract(BigDecimal.ONE)))).isFalse();
  }

  /** Verifies that a string literal on an unsigned column is an invalid_condition naming the field. */
  @Test
  void refusesTextLiteralsOnUnsignedColumns() {
    // WHEN / THEN a string for a uint4 (integer) column is refused with the path and the column
    assertThatThrownBy(() -> compile("{\"qty\": {\"_gt\": \"x\"}}"))
      .isInstanceOfSatisfying(ConditionException.class, e -> {
        assertThat(e.code().code()).isEqualTo("invalid_condition");
        assertThat(e.field()).isEqualTo("fire.qty._gt");
        assertThat(e.getMessage()).contains("'qty'").contains("\"x\"");
      });
    // AND integer columns have no NaN to name
    assertThatThrownBy(() -> compile("{\"qty\": {\"_eq\": \"NaN\"}}"))
      .isInstanceOfSatisfying(ConditionException.class, e -> assertThat(e.field()).isEqualTo("fire.qty._eq"));
    // AND a uint8 (numeric) column refuses any other string
    assertThatThrownBy(() -> compile("{\"big\": {\"_in\": [1, \"x\"]}}"))
      .isInstanceOfSatisfying(ConditionException.class, e -> assertThat(e.field()).isEqualTo("fire.big._in[1]"));
  }

  /** Verifies that numeric values order as PostgreSQL does: -Infinity < finite < Infinity < NaN, NaN = NaN. */
  @Test
  void numericOrdersSpecialValuesLikePostgres() {
    assertOrderedLikePostgres("price", NUMERIC_IN_ORDER);
  }

  /** Verifies that float8 and float4 columns follow the same order as numeric ones. */
  @Test
  void floatOrdersSpecialValuesLikePostgres() {
    List<Object> doubles = NUMERIC_IN_ORDER.stream()
      .map(value -> (Object) (value instanceof BigDecimal d ? d.doubleValue() : value)).toList();
    assertOrderedLikePostgres("ratio", doubles);
    assertOrderedLikePostgres("single", doubles);
  }

  /** Verifies that the special-value literals take PostgreSQL's spellings in any case, and nothing else. */
  @Test
  void acceptsPostgresSpellingsOfSpecialValues() {
    // GIVEN the spellings PostgreSQL reads for NaN and the infinities
    for (String nan : new String[] {"NaN", "nan", " NAN "}) {
      assertThat(on("price", "_eq", nan).matches(row("price", Double.NaN))).as(nan).isTrue();
    }
    for (String infinity : new String[] {"Infinity", "+Infinity", "inf", "+INF"}) {
      assertThat(on("ratio", "_eq", infinity).matches(row("ratio", Double.POSITIVE_INFINITY))).as(infinity).isTrue();
    }
    for (String negative : new String[] {"-Infinity", "-inf"}) {
      assertThat(on("price", "_eq", negative).matches(row("price", Double.NEGATIVE_INFINITY))).as(negative).isTrue();
    }
    // WHEN another string is given THEN the message says which strings are accepted
    assertThatThrownBy(() -> on("price", "_gt", "NaNa"))
      .isInstanceOfSatisfying(ConditionException.class, e -> {
        assertThat(e.field()).isEqualTo("fire.price._gt");
        assertThat(e.getMessage()).contains("\"NaN\"").contains("\"Infinity\"").contains("'price'");
      });
    assertThatThrownBy(() -> on("ratio", "_gt", "5")).isInstanceOf(ConditionException.class);
  }

  /** Verifies that NaN can be listed in _in/_nin and that _neq NaN keeps only real numbers. */
  @Test
  void membershipAndInequalityWithNaN() {
    Condition inNaNOrOne = on("price", "_in", new JsonArray().add("NaN").add(1));
    assertThat(inNaNOrOne.matches(row("price", Double.NaN))).isTrue();
    assertThat(inNaNOrOne.matches(row("price", new BigDecimal("1.0")))).isTrue();
    assertThat(inNaNOrOne.matches(row("price", Double.POSITIVE_INFINITY))).isFalse();
    Condition notNaN = on("ratio", "_neq", "NaN");
    assertThat(notNaN.matches(row("ratio", Double.NaN))).isFalse();
    assertThat(notNaN.matches(row("ratio", Double.POSITIVE_INFINITY))).isTrue();
    assertThat(on("ratio", "_nin", new JsonArray().add("nan")).matches(row("ratio", 1.5d))).isTrue();
  }

  /** For every pair of values in order, each comparison operator holds exactly when the order says so. */
  private static void assertOrderedLikePostgres(String column, List<Object> valuesInOrder) {
    for (int v = 0; v < valuesInOrder.size(); v++) {
      Map<String, Object> row = row(column, valuesInOrder.get(v));
      for (int l = 0; l < LITERALS_IN_ORDER.size(); l++) {
        Object literal = LITERALS_IN_ORDER.get(l);
        String pair = column + " " + valuesInOrder.get(v) + " vs " + literal;
        assertThat(on(column, "_lt", literal).matches(row)).as(pair + " _lt").isEqualTo(v < l);
        assertThat(on(column, "_lte", literal).matches(row)).as(pair + " _lte").isEqualTo(v <= l);
        assertThat(on(column, "_eq", literal).matches(row)).as(pair + " _eq").isEqualTo(v == l);
        assertThat(on(column, "_neq", literal).matches(row)).as(pair + " _neq").isEqualTo(v != l);
        assertThat(on(column, "_gte", literal).matches(row)).as(pair + " _gte").isEqualTo(v >= l);
        assertThat(on(column, "_gt", literal).matches(row)).as(pair + " _gt").isEqualTo(v > l);
      }
    }
  }
}
