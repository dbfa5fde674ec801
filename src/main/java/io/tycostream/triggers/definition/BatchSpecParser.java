package io.tycostream.triggers.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.tycostream.triggers.error.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;

/**
 * Reads and writes the optional {@code batch} field of a trigger definition:
 * {@code {"max_events": 100, "max_wait": "1s"}}. {@code max_events} is required, {@code max_wait} defaults to
 * {@link BatchSpec#DEFAULT_MAX_WAIT}; an unknown field or a value out of bounds is a
 * {@link TriggerDefinitionException} naming the full path ({@code batch.max_events}, {@code batch.max_wait}).
 * Stateless.
 */
public final class BatchSpecParser {

  public static final String MAX_EVENTS = "max_events";
  public static final String MAX_WAIT = "max_wait";

  private static final List<String> FIELDS = List.of(MAX_EVENTS, MAX_WAIT);
  private static final String BATCH = TriggerDefinitionParser.BATCH;

  private BatchSpecParser() {
  }

  /** The batch of a definition node, {@code null} when absent or {@code null} (one POST per event). */
  public static BatchSpec parse(JsonNode definition) {
    JsonNode value = definition.get(BATCH);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw invalid(BATCH, "expected an object like {\"max_events\": 100, \"max_wait\": \"1s\"}");
    }
    Iterator<String> names = value.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new TriggerDefinitionException(ErrorCode.UNKNOWN_FIELD, BATCH + "." + name,
            "unknown field '" + BATCH + "." + name + "' (expected " + FIELDS + ")");
      }
    }
    return new BatchSpec(maxEvents(value.get(MAX_EVENTS)), maxWait(value.get(MAX_WAIT)));
  }

  /** The stored and shown form of {@code batch}. */
  public static JsonObject toJson(BatchSpec batch) {
    return new JsonObject().put(MAX_EVENTS, batch.maxEvents()).put(MAX_WAIT, DurationText.format(batch.maxWait()));
  }

  private static int maxEvents(JsonNode value) {
    String path = BATCH + "." + MAX_EVENTS;
    if (value == null || value.isNull()) {
      throw invalid(path, "is required");
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < BatchSpec.MIN_EVENTS
        || value.intValue() > BatchSpec.MAX_EVENTS) {
      throw invalid(path, "expected a whole number from " + BatchSpec.MIN_EVENTS + " to " + BatchSpec.MAX_EVENTS);
    }
    return value.intValue();
  }

  private static Duration maxWait(JsonNode value) {
    String path = BATCH + "." + MAX_WAIT;
    if (value == null || value.isNull()) {
      return BatchSpec.DEFAULT_MAX_WAIT;
    }
    Duration wait = value.isTextual() ? DurationText.parse(value.textValue()).orElse(null) : null;
    if (wait == null) {
      throw invalid(path, "expected a duration like \"500ms\", \"1s\" or \"30s\"");
    }
    if (wait.isZero() || wait.compareTo(BatchSpec.MAX_WAIT) > 0) {
      throw invalid(path, "must be more than 0 and at most " + DurationText.format(BatchSpec.MAX_WAIT));
    }
    return wait;
  }

  private static TriggerDefinitionException invalid(String field, String problem) {
    return new TriggerDefinitionException(ErrorCode.INVALID_FIELD, field, field + " " + problem);
  }
}
