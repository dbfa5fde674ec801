package io.tycostream.triggers.trigger.condition;

import io.tycostream.triggers.source.SourceColumn;
import io.tycostream.triggers.source.SourceSchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Compiles tycostream's Hasura-style {@code where} JSON into a {@link Condition}, once per trigger and schema.
 * <p>
 * Shape: {@code {"<column>": {"<op>": value, …}, "_and": [ {…}, … ], "_or": [ … ], "_not": {…}}} with the operators
 * {@code _eq _neq _gt _gte _lt _lte _in _nin _is_null}. Sibling keys of one object are ANDed, several operators on
 * one column are ANDed, and {@code {}} is always true. {@code _and} is true when empty; {@code _or} must not be
 * empty (SQL and Hasura disagree on its meaning, so it is refused). As GraphQL does, a single object is accepted
 * where {@code _and}/{@code _or} expect a list. The logical keys win over a column of the same name.
 * <p>
 * Literals are checked against the column types of the {@link SourceSchema} and converted once: numbers compare
 * exactly, timestamps are parsed here. Numeric and float columns order as PostgreSQL does, {@code -Infinity} &lt;
 * every finite value &lt; {@code Infinity} &lt; {@code NaN} with {@code NaN = NaN}; since JSON cannot write those
 * values, their literals are the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} (as payloads show
 * them; case-insensitive), accepted for numeric and float columns only. Unsigned integer columns ({@code uint2},
 * {@code uint4} are integer, {@code uint8} is numeric) take number literals like any other number column.
 * <p>
 * Every problem is a {@link ConditionException} naming the JSON path of the offending element, rooted at
 * {@code rootPath} ({@code fire.quantity._gt}, {@code fire._and[1].price._in[2]}).
 * <p>
 * Immutable and thread-safe; compiled conditions may be shared between threads.
 */
public final class ConditionCompiler {

  private static final int MAX_LISTED_COLUMNS = 20;

  private final SourceSchema schema;

  public ConditionCompiler(SourceSchema schema) {
    this.schema = Objects.requireNonNull(schema, "schema");
  }

  /** Shorthand for {@code new ConditionCompiler(schema).compile(where, rootPath)}. */
  public static Condition compile(Object where, SourceSchema schema, String rootPath) {
    return new ConditionCompiler(schema).compile(where, rootPath);
  }

  /**
   * Compiles {@code where} (a {@link JsonObject} or a {@code Map} of JSON values).
   *
   * @param rootPath the trigger field holding the condition ({@code fire} or {@code clear}), the root of error paths
   * @throws ConditionException when the condition does not fit the shape or the schema
   */
  public Condition compile(Object where, String rootPath) {
    return compileObject(asObject(where), rootPath);
  }

  private Condition compileObject(Object value, String path) {
    if (!(value instanceof JsonObject object)) {
      throw new ConditionException(path, "expected an object like {\"<column>\": {\"_eq\": …}}, got "
        + Literals.describe(value));
    }
    List<Condition> parts = new ArrayList<>();
    for (String key : object.fieldNames()) {
      Object operand = object.getValue(key);
      String keyPath = path + "." + key;
      switch (key) {
        case "_and":
          parts.add(Connectives.allOf(compileList(operand, keyPath, false)));
          break;
        case "_or":
          parts.add(Connectives.anyOf(compileList(operand, keyPath, true)));
          break;
        case "_not":
          parts.add(Connectives.not(compileObject(operand, keyPath)));
          break;
        default:
          parts.add(ColumnConditionCompiler.compile(column(key, keyPath), operand, keyPath));
      }
    }
    return Connectives.allOf(parts);
  }

  private List<Condition> compileList(Object operand, String path, boolean nonEmpty) {
    if (operand instanceof JsonObject) {
      return List.of(compileObject(operand, path));
    }
    if (!(operand instanceof JsonArray array)) {
      throw new ConditionException(path, "expected an array of conditions, got " + Literals.describe(operand));
    }
    if (nonEmpty && array.isEmpty()) {
      throw new ConditionException(path, "expected at least one condition in " + path.substring(
        path.lastIndexOf('.') + 1));
    }
    List<Condition> parts = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      parts.add(compileObject(array.getValue(i), path + "[" + i + "]"));
    }
    return parts;
  }

  private SourceColumn column(String name, String path) {
    Optional<SourceColumn> column = schema.column(name);
    if (column.isPresent()) {
      return column.get();
    }
    if (name.startsWith("_")) {
      throw new ConditionException(path, "unknown key '" + name + "'; expected a column name, _and, _or or _not");
    }
    throw new ConditionException(path, "unknown column '" + name + "'; the source has " + columnList());
  }

  private String columnList() {
    List<SourceColumn> columns = schema.columns();
    String listed = columns.stream().limit(MAX_LISTED_COLUMNS).map(SourceColumn::name)
      .collect(Collectors.joining(", "));
    return columns.size() > MAX_LISTED_COLUMNS ? listed + ", …" : listed;
  }

  @SuppressWarnings("unchecked")
  private static Object asObject(Object where) {
    return where instanceof Map<?, ?> map ? new JsonObject((Map<String, Object>) map) : where;
  }
}
