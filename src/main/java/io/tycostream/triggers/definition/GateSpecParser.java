package io.tycostream.triggers.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.json.ExactJson;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads the delivery gates of a trigger definition (#11 items 2 and 9): {@code cooldown} and {@code deliver_if}.
 * Shape only, as for {@code fire}: the {@code deliver_if.where} condition is compiled against the other source's
 * schema by the caller. Every problem is a {@link TriggerDefinitionException} naming the full field path. Stateless.
 */
public final class GateSpecParser {

  public static final String COOLDOWN = "cooldown";
  public static final String DELIVER_IF = "deliver_if";
  static final String DELIVER_IF_SOURCE = "source";
  static final String DELIVER_IF_KEY = "key";
  static final String DELIVER_IF_WHERE = "where";
  /** The longest cooldown: 30 days (an event older than that is history, not a repeat). */
  public static final Duration MAX_COOLDOWN = Duration.ofDays(30);
  private static final List<String> DELIVER_IF_FIELDS = List.of(DELIVER_IF_SOURCE, DELIVER_IF_KEY, DELIVER_IF_WHERE);
  private static final int MAX_KEY_VALUES = 32;

  private GateSpecParser() {
  }

  /** {@code cooldown}: a duration above zero and at most {@link #MAX_COOLDOWN}, or {@code null} when absent. */
  static Duration cooldown(JsonNode node) {
    JsonNode value = node.get(COOLDOWN);
    if (value == null || value.isNull()) {
      return null;
    }
    Duration cooldown = value.isTextual() ? DurationText.parse(value.textValue()).orElse(null) : null;
    if (cooldown == null) {
      throw invalid(COOLDOWN, "expected a duration like \"30s\", \"5m\", \"2h\" or \"1d\"");
    }
    if (cooldown.isZero()) {
      throw invalid(COOLDOWN, "must be longer than zero (leave it out for no cooldown)");
    }
    if (cooldown.compareTo(MAX_COOLDOWN) > 0) {
      throw invalid(COOLDOWN, "must be at most " + DurationText.format(MAX_COOLDOWN));
    }
    return cooldown;
  }

  /**
   * {@code deliver_if}: {@code {"source", "key": [...], "where": {...}}}, or {@code null} when absent.
   *
   * @param knownSource whether a source name is configured; another one is {@code unknown_source} naming
   *                    {@code deliver_if.source}
   */
  static DeliverIf deliverIf(JsonNode node, Predicate<String> knownSource) {
    JsonNode value = node.get(DELIVER_IF);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw invalid(DELIVER_IF, "expected {\"source\": …, \"key\": […], \"where\": {…}}");
    }
    Iterator<String> names = value.fieldNames();
    while (names.hasNext()) {
      String field = names.next();
      if (!DELIVER_IF_FIELDS.contains(field)) {
        throw new TriggerDefinitionException(ErrorCode.UNKNOWN_FIELD, DELIVER_IF + "." + field,
            "unknown field '" + DELIVER_IF + "." + field + "' (expected one of " + DELIVER_IF_FIELDS + ")");
      }
    }
    String sourcePath = DELIVER_IF + "." + DELIVER_IF_SOURCE;
    JsonNode source = value.get(DELIVER_IF_SOURCE);
    if (source == null || !source.isTextual() || source.textValue().isBlank()) {
      throw invalid(sourcePath, "expected the name of a configured source");
    }
    if (!knownSource.test(source.textValue())) {
      throw new TriggerDefinitionException(ErrorCode.UNKNOWN_SOURCE, sourcePath,
          "no source named '" + source.textValue() + "' is configured");
    }
    return new DeliverIf(source.textValue(), key(value), where(value));
  }

  private static List<Object> key(JsonNode deliverIf) {
    String path = DELIVER_IF + "." + DELIVER_IF_KEY;
    JsonNode key = deliverIf.get(DELIVER_IF_KEY);
    if (key == null || !key.isArray() || key.isEmpty() || key.size() > MAX_KEY_VALUES) {
      throw invalid(path, "expected the other source's key column values, like [\"NYSE\"]");
    }
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < key.size(); i++) {
      JsonNode part = key.get(i);
      if (!part.isTextual() && !part.isNumber() && !part.isBoolean()) {
        throw invalid(path + "[" + i + "]", "expected a string, number or boolean");
      }
      values.add(ExactJson.value(part));
    }
    return values;
  }

  private static JsonObject where(JsonNode deliverIf) {
    String path = DELIVER_IF + "." + DELIVER_IF_WHERE;
    JsonNode where = deliverIf.get(DELIVER_IF_WHERE);
    if (where == null || !where.isObject() || where.isEmpty()) {
      throw new TriggerDefinitionException(ErrorCode.INVALID_CONDITION, path,
          path + " expected a non-empty condition like {\"open\": {\"_eq\": true}}");
    }
    return (JsonObject) ExactJson.value(where);
  }

  private static TriggerDefinitionException invalid(String field, String problem) {
    return new TriggerDefinitionException(ErrorCode.INVALID_FIELD, field, field + " " + problem);
  }
}
