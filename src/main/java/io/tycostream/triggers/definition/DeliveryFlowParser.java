package io.tycostream.triggers.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.tycostream.triggers.error.ErrorCode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;

/**
 * Reads the delivery-flow fields of a trigger definition: {@code rate_limit} ({@link RateLimit}) and
 * {@code ordering} ({@link DeliveryOrdering}). Every problem is a {@link TriggerDefinitionException} naming the full
 * field path ({@code rate_limit.per_second}). Stateless and thread-safe.
 */
public final class DeliveryFlowParser {

  public static final String PER_SECOND = "per_second";
  public static final String BURST = "burst";
  private static final List<String> FIELDS = List.of(PER_SECOND, BURST);

  private DeliveryFlowParser() {
  }

  /**
   * The {@code rate_limit} of a definition, or {@code null} when absent: {@code per_second} required (a number
   * from {@value RateLimit#MIN_PER_SECOND} to {@value RateLimit#MAX_PER_SECOND}), {@code burst} optional (an integer
   * from 1 to {@value RateLimit#MAX_BURST}, default {@code max(1, ceil(per_second))}).
   */
  public static RateLimit rateLimit(JsonNode definition) {
    String field = TriggerDefinitionParser.RATE_LIMIT;
    JsonNode value = definition.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw invalid(field, "expected an object like {\"per_second\": 50, \"burst\": 100}");
    }
    Iterator<String> names = value.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new TriggerDefinitionException(ErrorCode.UNKNOWN_FIELD, field + "." + name,
            "unknown field '" + field + "." + name + "' (expected one of " + FIELDS + ")");
      }
    }
    BigDecimal perSecond = perSecond(value.get(PER_SECOND), field + "." + PER_SECOND);
    int burst = burst(value.get(BURST), field + "." + BURST, perSecond);
    return new RateLimit(perSecond, burst);
  }

  /** The {@code ordering} of a definition: {@code "concurrent"} (default, also when absent) or {@code "per_key"}. */
  public static DeliveryOrdering ordering(JsonNode definition) {
    String field = TriggerDefinitionParser.ORDERING;
    JsonNode value = definition.get(field);
    if (value == null || value.isNull()) {
      return DeliveryOrdering.CONCURRENT;
    }
    String expected = "expected \"concurrent\" or \"per_key\"";
    if (!value.isTextual()) {
      throw invalid(field, expected);
    }
    String text = value.textValue();
    return DeliveryOrdering.of(text).orElseThrow(() -> invalid(field, "'"
        + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "' is not an ordering: " + expected));
  }

  private static BigDecimal perSecond(JsonNode value, String path) {
    if (value == null || value.isNull()) {
      throw invalid(path, "is required: webhooks per second, e.g. 50 or 0.5");
    }
    if (!value.isNumber()) {
      throw invalid(path, "expected a number of webhooks per second, e.g. 50 or 0.5");
    }
    BigDecimal rate = value.decimalValue();
    if (rate.compareTo(new BigDecimal(RateLimit.MIN_PER_SECOND)) < 0
        || rate.compareTo(BigDecimal.valueOf(RateLimit.MAX_PER_SECOND)) > 0) {
      throw invalid(path, "must be from " + RateLimit.MIN_PER_SECOND + " to " + RateLimit.MAX_PER_SECOND);
    }
    return rate;
  }

  private static int burst(JsonNode value, String path, BigDecimal perSecond) {
    if (value == null || value.isNull()) {
      return RateLimit.defaultBurst(perSecond);
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw invalid(path, "expected a whole number from 1 to " + RateLimit.MAX_BURST);
    }
    int burst = value.intValue();
    if (burst < 1 || burst > RateLimit.MAX_BURST) {
      throw invalid(path, "must be from 1 to " + RateLimit.MAX_BURST);
    }
    return burst;
  }

  private static TriggerDefinitionException invalid(String field, String problem) {
    return new TriggerDefinitionException(ErrorCode.INVALID_FIELD, field, field + " " + problem);
  }
}
