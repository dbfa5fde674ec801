package io.tycostream.triggers.trigger.computed;

import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.source.ColumnType;
import io.tycostream.triggers.source.SourceColumn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.trigger.TriggerFixtures.ALL_TYPES;
import static io.tycostream.triggers.trigger.TriggerFixtures.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Verifies that computed fields type-check against the source's columns when compiled (a mistake names
 * {@code computed.<name>}), evaluate per row with the documented type mapping, and turn a failure into a null value
 * and an error instead of an exception.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ComputedFieldsTest {

  private static ComputedFields compile(String... namesAndExpressions) {
    Map<String, String> expressions = new LinkedHashMap<>();
    for (int i = 0; i < namesAndExpressions.length; i += 2) {
      expressions.put(namesAndExpressions[i], namesAndExpressions[i + 1]);
    }
    return ComputedFields.compile(expressions, ALL_TYPES);
  }

  /** Verifies the values of each mapped type, in the order the fields were written. */
  @Test
  void evaluatesWithTheColumnTypes() {
    // GIVEN int, numeric-as-double, text, bool and timestamptz expressions
    ComputedFields computed = compile(
        "exposure", "double(row.quantity) * row.price",
        "big", "row.quantity > 100",
        "label", "row.symbol + '/' + string(row.quantity)",
        "doubled", "row.quantity * 2",
        "later", "row.updated + duration('1h')");
    // WHEN a row is evaluated
    ComputedFields.Results results = computed.evaluate(row("id", 1L, "quantity", 150L, "price",
        new BigDecimal("2.5"), "symbol", "AB", "updated", OffsetDateTime.parse("2026-01-15T10:00:00Z")));
    // THEN each value has its JSON type, in definition order
    assertThat(results.errors()).isEmpty();
    assertThat(results.values()).containsExactly(Map.entry("exposure", 375.0), Map.entry("big", true),
        Map.entry("label", "AB/150"), Map.entry("doubled", 300L),
        Map.entry("later", OffsetDateTime.parse("2026-01-15T11:00:00Z")));
  }

  /** Verifies that a failing expression gives null and an error, and the other fields still evaluate. */
  @Test
  void evaluationErrorsBecomeNullAndAnError() {
    // GIVEN a division and a field that reads a column
    ComputedFields computed = compile("per_id", "row.quantity / row.id", "priced", "row.price * 2.0",
        "safe", "has(row.price) ? row.price : -1.0");
    // WHEN id is 0 and price is null
    Map<String, Object> row = row("id", 0L, "quantity", 5L, "price", null);
    ComputedFields.Results results = computed.evaluate(row);
    // THEN ratio and priced are null with their reasons, safe is computed
    assertThat(results.values()).containsEntry("per_id", null).containsEntry("priced", null)
        .containsEntry("safe", -1.0);
    assertThat(results.errors()).hasSize(2);
    assertThat(results.errors().get(0).field()).isEqualTo("per_id");
    assertThat(results.errors().get(0).message()).contains("by zero");
    assertThat(results.errors().get(1)).isEqualTo(new ComputedFields.ComputedError("priced",
        "column 'price' is null"));
  }

  /** Verifies that a row value of an unexpected Java type fails every field for that row, never the caller. */
  @Test
  void unreadableRowFailsEveryFieldOnly() {
    ComputedFields computed = compile("one", "row.quantity + 1", "later", "row.updated + duration('1h')");
    ComputedFields.Results results = computed.evaluate(row("id", 1L, "quantity", 1L, "updated", "not a time"));
    assertThat(results.values()).containsEntry("one", null).containsEntry("later", null);
    assertThat(results.errors()).extracting(ComputedFields.ComputedError::field).containsExactly("one", "later");
  }

  /** Verifies that type errors, unknown columns, bad syntax and a name taken by a column are refused by name. */
  @Test
  void refusesBadExpressionsNamingTheField() {
    assertRefused("computed.exposure", "no matching overload", "exposure", "row.quantity * row.price");
    assertRefused("computed.colour", "undefined field 'colour'", "colour", "row.colour + 'x'");
    assertRefused("computed.broken", "mismatched input", "broken", "1 +");
    assertRefused("computed.symbol", "is a column of the source", "symbol", "'x'");
  }

  /** Verifies that each result type becomes the column type conditions compare it as. */
  @Test
  void extendsTheSchemaWithResultTypes() {
    ComputedFields computed = compile("exposure", "row.ratio * 2.0", "count", "row.quantity + 1",
        "flag", "row.active", "pair", "[1, 2]");
    List<SourceColumn> added = computed.extend(ALL_TYPES).columns().subList(ALL_TYPES.columns().size(),
        ALL_TYPES.columns().size() + 4);
    assertThat(added).extracting(SourceColumn::type).containsExactly(ColumnType.FLOAT, ColumnType.INTEGER,
        ColumnType.BOOLEAN, ColumnType.JSON);
  }

  private static void assertRefused(String field, String messagePart, String... nameAndExpression) {
    assertThatThrownBy(() -> compile(nameAndExpression))
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.code().code()).isEqualTo("invalid_field");
          assertThat(e.getMessage()).contains(messagePart);
        });
  }
}
