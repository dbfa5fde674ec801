package io.tycostream.triggers.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.tycostream.triggers.error.ErrorCode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a trigger's {@code computed} fields: names to CEL expressions over the source row, such as
 * {@code {"exposure": "double(row.net_position) * row.price"}}.
 * <p>
 * Only the shape is checked here: at most {@value #MAX_COMPUTED} names of {@link #NAME}, each a non-blank
 * expression of at most {@value #MAX_EXPRESSION_CHARS} characters. Type-checking against the source's columns (and
 * refusing a name that is also a column) happens when the trigger is compiled against the schema
 * ({@code trigger.computed.ComputedFields}). The order of the fields is kept. Stateless and thread-safe.
 */
public final class ComputedFieldsParser {

  /** Computed field names. */
  public static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,63}");
  public static final int MAX_COMPUTED = 32;
  public static final int MAX_EXPRESSION_CHARS = 1_000;

  private ComputedFieldsParser() {
  }

  /**
   * The computed fields of {@code node} (the {@code computed} field) in order, empty when absent or null.
   *
   * @throws TriggerDefinitionException {@code invalid_field} naming {@code computed} or {@code computed.<name>}
   */
  public static Map<String, String> computed(JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    String field = TriggerDefinitionParser.COMPUTED;
    if (!node.isObject()) {
      throw invalid(field, "expected an object of expressions like {\"exposure\": \"row.quantity * row.price\"}");
    }
    if (node.size() > MAX_COMPUTED) {
      throw invalid(field, "has more than " + MAX_COMPUTED + " fields");
    }
    Map<String, String> computed = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> entries = node.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      String path = field + "." + entry.getKey();
      if (!NAME.matcher(entry.getKey()).matches()) {
        throw invalid(path, "is not a computed field name: 1 to 64 of a-z, 0-9 and _, not starting with a digit");
      }
      JsonNode expression = entry.getValue();
      if (!expression.isTextual() || expression.textValue().isBlank()) {
        throw invalid(path, "expected a CEL expression like \"row.quantity * row.price\"");
      }
      if (expression.textValue().length() > MAX_EXPRESSION_CHARS) {
        throw invalid(path, "is longer than " + MAX_EXPRESSION_CHARS + " characters");
      }
      computed.put(entry.getKey(), expression.textValue());
    }
    return computed;
  }

  private static TriggerDefinitionException invalid(String field, String problem) {
    return new TriggerDefinitionException(ErrorCode.INVALID_FIELD, field, field + " " + problem);
  }
}
