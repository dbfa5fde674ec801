package io.tycostream.triggers.trigger.condition;

import io.tycostream.triggers.source.ColumnType;
import io.tycostream.triggers.source.SourceColumn;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Compiles the operator object of one column ({@code {"_gt": 5, "_lte": 10}}) into leaf conditions ANDed together,
 * checking each literal against the column's type ({@link Literals}: numbers for integer, numeric and float columns,
 * where numeric and float also take the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}).
 */
final class ColumnConditionCompiler {

  private ColumnConditionCompiler() {
  }

  static Condition compile(SourceColumn column, Object operators, String path) {
    if (!(operators instanceof JsonObject object)) {
      throw new ConditionException(path, "expected an object of operators like {\"_eq\": …} for column '"
        + column.name() + "', got " + Literals.describe(operators));
    }
    if (object.isEmpty()) {
      // Hasura reads {"col": {}} as "no condition"; as a trigger condition it is almost surely a mistake
      throw new ConditionException(path, "expected at least one operator for column '" + column.name() + "', e.g. "
        + "{\"_gt\": 5}");
    }
    List<Condition> parts = new ArrayList<>();
    for (String name : object.fieldNames()) {
      String operatorPath = path + "." + name;
      Operator operator = Operator.named(name).orElseThrow(() -> new ConditionException(operatorPath,
        "unknown operator '" + name + "'; expected one of " + Operator.NAMES));
      parts.add(compileOperator(column, operator, object.getValue(name), operatorPath));
    }
    return Connectives.allOf(parts);
  }

  private static Condition compileOperator(SourceColumn column, Operator operator, Object literal, String path) {
    if (operator == Operator.IS_NULL) {
      if (!(literal instanceof Boolean expectNull)) {
        throw new ConditionException(path, "expected true or false for _is_null, got " + Literals.describe(literal));
      }
      return ColumnTests.isNull(column.name(), expectNull);
    }
    checkSupported(column, operator, path);
    if (operator.isMembership()) {
      return membership(column, operator, literal, path);
    }
    if (literal == null) {
      throw new ConditionException(path, "null cannot be compared with " + operator.jsonName()
        + " (the result is never true); use {\"_is_null\": true}");
    }
    return ColumnTests.comparison(column.name(), ordering(column, literal, path), operator.acceptedOutcomes());
  }

  private static void checkSupported(SourceColumn column, Operator operator, String path) {
    ColumnType type = column.type();
    if (type == ColumnType.JSON) {
      throw new ConditionException(path, "operator " + operator.jsonName() + " is not supported on json column '"
        + column.name() + "'; only _is_null is");
    }
    if (operator.isOrdering() && (type == ColumnType.BOOLEAN || type == ColumnType.OTHER)) {
      throw new ConditionException(path, "operator " + operator.jsonName() + " is not supported on "
        + type.displayName() + " column '" + column.name() + "' (" + column.sqlType()
        + "); use _eq, _neq, _in, _nin or _is_null");
    }
  }

  private static Condition membership(SourceColumn column, Operator operator, Object literal, String path) {
    if (!(literal instanceof JsonArray array) || array.isEmpty()) {
      throw new ConditionException(path, "expected a non-empty array of values for " + operator.jsonName()
        + ", got " + Literals.describe(literal));
    }
    boolean negated = operator == Operator.NIN;
    boolean textual = column.type() == ColumnType.TEXT || column.type() == ColumnType.OTHER;
    Set<String> texts = new HashSet<>();
    ValueOrdering[] candidates = new ValueOrdering[array.size()];
    for (int i = 0; i < array.size(); i++) {
      String elementPath = path + "[" + i + "]";
      Object element = array.getValue(i);
      if (element == null) {
        throw new ConditionException(elementPath, "null is not allowed in " + operator.jsonName()
          + " (it never matches); use _is_null");
      }
      if (textual) {
        texts.add(Literals.text(element, column, elementPath));
      } else {
        candidates[i] = ordering(column, element, elementPath);
      }
    }
    return textual ? ColumnTests.textMembership(column.name(), texts, negated)
      : ColumnTests.membership(column.name(), candidates, negated);
  }

  private static ValueOrdering ordering(SourceColumn column, Object literal, String path) {
    switch (column.type()) {
      case INTEGER:
        return Orderings.integer(Literals.number(literal, column, path));
      case NUMERIC:
        return Orderings.decimal(Literals.numeric(literal, column, path));
      case FLOAT:
        return Orderings.floating(Literals.numeric(literal, column, path).doubleValue());
      case TEXT:
      case OTHER:
        return Orderings.text(Literals.text(literal, column, path));
      case BOOLEAN:
        return Orderings.bool(Literals.bool(literal, column, path));
      case DATE:
        return Orderings.date(Literals.date(literal, column, path));
      case TIMESTAMP:
        return Orderings.timestamp(Literals.timestamp(literal, column, path));
      case TIMESTAMPTZ:
        return Orderings.instant(Literals.timestampTz(literal, column, path));
      default:
        throw new IllegalStateException("no ordering for column type " + column.type());
    }
  }
}
