package io.tycostream.triggers.trigger.condition;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Fills the {@code {"_param": "<name>"}} placeholders of a trigger's conditions with the trigger's {@code params}
 * before they are compiled, so a parameter is checked against the column it is compared with exactly like a literal
 * written in its place (a number for a number column, a timestamp string for a timestamp column, a list for
 * {@code _in}).
 * <p>
 * Errors name what the user has to fix: a placeholder without a value is {@code invalid_condition} at
 * {@code <path>._param} ({@code fire.net_position._gt._param}); a value that does not fit its column is
 * {@code invalid_field} at {@code params.<name>}, saying where it is used; a value no placeholder uses is
 * {@code invalid_field} at {@code params.<name>} ({@link #requireAllUsed()}), since an unused parameter is almost
 * surely a misspelt one.
 * <p>
 * Not thread-safe: one instance compiles the conditions of one definition, then is dropped. The compiled conditions
 * hold the values, so evaluation costs the same as with literals.
 */
public final class ConditionParameters {

  /** The key of a placeholder object. */
  public static final String PLACEHOLDER = "_param";
  private static final String PARAMS = "params";

  private final JsonObject values;
  /** Path of each substituted placeholder to the parameter's name. */
  private final Map<String, String> substituted = new LinkedHashMap<>();
  private final Set<String> used = new LinkedHashSet<>();

  /** @param values the trigger's {@code params} (name to JSON value) */
  public ConditionParameters(JsonObject values) {
    this.values = Objects.requireNonNull(values, "values");
  }

  /**
   * Compiles {@code where} with its placeholders filled.
   *
   * @param rootPath the trigger field holding the condition ({@code fire} or {@code clear})
   * @throws ConditionException for a placeholder without a value or a condition that does not fit the schema
   * @throws ServiceException   {@code invalid_field} naming {@code params.<name>} for a value that does not fit
   */
  public Condition compile(ConditionCompiler compiler, Object where, String rootPath) {
    Object filled = fill(where instanceof Map<?, ?> map ? new JsonObject(copyOf(map)) : where, rootPath);
    try {
      return compiler.compile(filled, rootPath);
    } catch (ConditionException e) {
      throw blameParameter(e);
    }
  }

  /**
   * {@code where} with its placeholders filled from {@code params}, for readers of the condition's JSON such as
   * {@link RequiredEquality} (so {@code {"account": {"_eq": {"_param": "account"}}}} is indexed by its value like a
   * literal). Meant for definitions that compiled already.
   *
   * @throws ConditionException for a placeholder without a value
   */
  public static JsonObject filled(JsonObject where, JsonObject params) {
    return (JsonObject) new ConditionParameters(params).fill(where, "fire");
  }

  /**
   * Fails when a parameter was given that no compiled condition uses.
   *
   * @throws ServiceException {@code invalid_field} naming {@code params.<name>}
   */
  public void requireAllUsed() {
    for (String name : values.fieldNames()) {
      if (!used.contains(name)) {
        throw new ServiceException(ErrorCode.INVALID_FIELD, PARAMS + "." + name + " is not used by any condition "
            + "(no {\"_param\": \"" + name + "\"} in fire or clear); remove it or fix its name", PARAMS + "." + name);
      }
    }
  }

  private Object fill(Object value, String path) {
    if (value instanceof JsonObject object) {
      if (object.size() == 1 && object.containsKey(PLACEHOLDER)) {
        return valueOf(object.getValue(PLACEHOLDER), path);
      }
      JsonObject filled = new JsonObject();
      for (String key : object.fieldNames()) {
        filled.put(key, fill(object.getValue(key), path + "." + key));
      }
      return filled;
    }
    if (value instanceof JsonArray array) {
      JsonArray filled = new JsonArray();
      for (int i = 0; i < array.size(); i++) {
        filled.add(fill(array.getValue(i), path + "[" + i + "]"));
      }
      return filled;
    }
    return value;
  }

  private Object valueOf(Object name, String path) {
    String placeholderPath = path + "." + PLACEHOLDER;
    if (!(name instanceof String text)) {
      throw new ConditionException(placeholderPath, "expected the name of a parameter, got " + Literals.describe(name));
    }
    if (!values.containsKey(text)) {
      throw new ConditionException(placeholderPath, "parameter '" + text + "' has no value: add it to params"
          + (values.isEmpty() ? "" : " (params has " + values.fieldNames() + ")"));
    }
    used.add(text);
    substituted.put(path, text);
    Object value = values.getValue(text);
    return value instanceof JsonArray list ? list.copy() : value;
  }

  /** A compile error inside a substituted value is the parameter's fault: name it, and say where it is used. */
  private ServiceException blameParameter(ConditionException e) {
    String field = e.field();
    if (field == null) {
      return e;
    }
    for (Map.Entry<String, String> placeholder : substituted.entrySet()) {
      String at = placeholder.getKey();
      if (field.equals(at) || field.startsWith(at + "[") || field.startsWith(at + ".")) {
        String param = PARAMS + "." + placeholder.getValue();
        return new ServiceException(ErrorCode.INVALID_FIELD, param + " does not fit where it is used (" + field
            + "): " + e.getMessage(), param, e);
      }
    }
    return e;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> copyOf(Map<?, ?> map) {
    return new LinkedHashMap<>((Map<String, Object>) map);
  }
}
