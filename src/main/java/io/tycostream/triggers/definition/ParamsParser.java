package io.tycostream.triggers.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.json.ExactJson;
import io.vertx.core.json.JsonObject;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a trigger's {@code params}: the values its conditions' {@code {"_param": "<name>"}} placeholders stand for,
 * such as {@code {"threshold": 10000, "desks": ["fx", "rates"]}}.
 * <p>
 * Only the shape is checked here: at most {@value #MAX_PARAMS} names of {@link #NAME}, each a number, string or
 * boolean, or a non-empty array of those (for {@code _in}/{@code _nin}) of at most {@value #MAX_LIST_VALUES}
 * values; numbers stay exact. Whether a value fits the column it is compared with, whether every placeholder has a
 * value and whether every value is used are checked when the conditions are compiled against the source's schema
 * ({@code trigger.condition.ConditionParameters}). Stateless and thread-safe.
 */
public final class ParamsParser {

  /** Parameter names, as {@code {"_param": …}} writes them. */
  public static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,63}");
  static final int MAX_PARAMS = 64;
  static final int MAX_LIST_VALUES = 1_000;

  private ParamsParser() {
  }

  /**
   * The parameter values of {@code node} (the {@code params} field), an empty object when absent or null.
   *
   * @throws TriggerDefinitionException {@code invalid_field} naming {@code params} or {@code params.<name>}
   */
  public static JsonObject params(JsonNode node) {
    if (node == null || node.isNull()) {
      return new JsonObject();
    }
    String field = TriggerDefinitionParser.PARAMS;
    if (!node.isObject()) {
      throw invalid(field, "expected an object of values like {\"threshold\": 10000}");
    }
    if (node.size() > MAX_PARAMS) {
      throw invalid(field, "has more than " + MAX_PARAMS + " parameters");
    }
    Iterator<Map.Entry<String, JsonNode>> entries = node.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      String path = field + "." + entry.getKey();
      if (!NAME.matcher(entry.getKey()).matches()) {
        throw invalid(path, "is not a parameter name: 1 to 64 of a-z, 0-9 and _, not starting with a digit");
      }
      checkValue(entry.getValue(), path);
    }
    return (JsonObject) ExactJson.value(node);
  }

  private static void checkValue(JsonNode value, String path) {
    if (value.isArray()) {
      if (value.isEmpty() || value.size() > MAX_LIST_VALUES) {
        throw invalid(path, "expected a non-empty list of at most " + MAX_LIST_VALUES + " values (for _in or _nin)");
      }
      for (int i = 0; i < value.size(); i++) {
        if (!isScalar(value.get(i))) {
          throw invalid(path + "[" + i + "]", "expected a number, string or boolean");
        }
      }
    } else if (!isScalar(value)) {
      throw invalid(path, "expected a number, string or boolean, or a list of them (null is never compared: use "
          + "_is_null)");
    }
  }

  private static boolean isScalar(JsonNode value) {
    return value.isNumber() || value.isTextual() || value.isBoolean();
  }

  private static TriggerDefinitionException invalid(String field, String problem) {
    return new TriggerDefinitionException(ErrorCode.INVALID_FIELD, field, field + " " + problem);
  }
}
