package io.tycostream.triggers.trigger.condition;

import io.tycostream.triggers.source.ColumnType;
import io.tycostream.triggers.source.SourceColumn;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a value a column must equal for a condition to hold, so an evaluator can index conditions by that value
 * instead of testing every condition on every row.
 * <p>
 * Only equalities every match needs are found: an {@code _eq} on the column at the top level of the condition or
 * inside a top-level {@code _and} (at any depth of {@code _and}s), never under {@code _or} or {@code _not}. Only
 * {@code integer} and {@code text} columns are supported, whose values ({@code Long}, {@code String}) are equal
 * exactly when the condition's {@code _eq} holds; every other case is "none", which is always safe.
 */
public final class RequiredEquality {

  private RequiredEquality() {
  }

  /**
   * The value {@code column} must have for {@code where} (an already compiled, hence valid, condition) to be TRUE:
   * a {@code Long} for an integer column, a {@code String} for a text column; empty when there is none this class
   * can find (including an {@code _eq} no integer can satisfy, such as 2.5).
   */
  public static Optional<Object> of(Object where, SourceColumn column) {
    if (column.type() != ColumnType.INTEGER && column.type() != ColumnType.TEXT) {
      return Optional.empty();
    }
    return Optional.ofNullable(find(asObject(where), column));
  }

  private static Object find(Object condition, SourceColumn column) {
    if (!(condition instanceof JsonObject object)) {
      return null;
    }
    for (String key : object.fieldNames()) {
      Object operand = object.getValue(key);
      Object found = switch (key) {
        case "_and" -> findInAll(operand, column);
        case "_or", "_not" -> null;
        default -> key.equals(column.name()) ? equalityLiteral(operand, column) : null;
      };
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static Object findInAll(Object operand, SourceColumn column) {
    if (operand instanceof JsonArray array) {
      for (Object part : array) {
        Object found = find(part, column);
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    return find(operand, column);
  }

  private static Object equalityLiteral(Object operators, SourceColumn column) {
    if (!(operators instanceof JsonObject object) || !object.containsKey("_eq")) {
      return null;
    }
    Object literal = object.getValue("_eq");
    if (column.type() == ColumnType.TEXT) {
      return literal instanceof String text ? text : null;
    }
    BigDecimal number = literal instanceof Number ? Orderings.exactDecimal(literal) : null;
    if (number == null) {
      return null;
    }
    try {
      return number.longValueExact();
    } catch (ArithmeticException notALong) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Object asObject(Object where) {
    return where instanceof Map<?, ?> map ? new JsonObject((Map<String, Object>) map) : where;
  }
}
