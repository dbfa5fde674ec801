package io.tycostream.triggers.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.tycostream.triggers.backoff.Backoff;
import io.tycostream.triggers.error.ErrorCode;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Reads a trigger's delivery fields (issue #11 items 1 and 7): {@code retry} (its own retry policy, {@link RetrySpec}),
 * {@code timeout} (per request), and its expiry ({@code expires_at} or {@code ttl}, {@link ExpiryParser}). Each part
 * is checked on its own here, with a {@link TriggerDefinitionException} naming the full path
 * ({@code retry.initial_delay}); the checks against the service's defaults are {@link RetryDefaults#check}.
 * <p>
 * Bounds, and why: delays from {@value #MIN_DELAY_TEXT} (a smaller one is a typo, and hammers a receiver) to
 * 7 days ({@link Backoff#MAX_ALLOWED_DELAY}); 1 to {@value #MAX_ATTEMPTS} attempts; a multiplier from 1 to
 * {@value #MAX_MULTIPLIER}; {@code max_age} from 1 s to 7 days; {@code timeout} from {@value #MIN_TIMEOUT_TEXT} to
 * {@value #MAX_TIMEOUT_TEXT} (an attempt must end well within the 60 s delivery lease, or its event would be claimed
 * again while in flight). Stateless.
 */
public final class RetrySpecParser {

  public static final String RETRY = "retry";
  public static final String TIMEOUT = "timeout";
  /** The field named when the policy as a whole is at fault. */
  static final String TRIGGER_FIELD = RETRY;
  static final int MAX_ATTEMPTS = 100;
  static final double MAX_MULTIPLIER = 10.0;
  static final String MIN_DELAY_TEXT = "10ms";
  static final String MIN_TIMEOUT_TEXT = "100ms";
  static final String MAX_TIMEOUT_TEXT = "30s";
  static final Duration MIN_DELAY = Duration.ofMillis(10);
  static final Duration MIN_MAX_AGE = Duration.ofSeconds(1);
  static final Duration MAX_MAX_AGE = Duration.ofDays(7);
  static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
  static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> RETRY_FIELDS = List.of(RetrySpec.MAX_ATTEMPTS, RetrySpec.INITIAL_DELAY,
      RetrySpec.MAX_DELAY, RetrySpec.MULTIPLIER, RetrySpec.JITTER, RetrySpec.MAX_AGE);

  private RetrySpecParser() {
  }

  /** {@code definition} with the retry policy, timeout and expiry {@code node} gives (a {@code ttl} counts from now). */
  static TriggerDefinition apply(JsonNode node, TriggerDefinition definition) {
    return apply(node, definition, Clock.systemUTC());
  }

  /** As {@link #apply(JsonNode, TriggerDefinition)}, a {@code ttl} counted from {@code clock}'s now. */
  static TriggerDefinition apply(JsonNode node, TriggerDefinition definition, Clock clock) {
    return definition.withDelivery(retry(node.get(RETRY)), timeout(node.get(TIMEOUT)),
        ExpiryParser.expiresAt(node, clock));
  }

  /** {@code retry.<part>}. */
  static String field(String part) {
    return RETRY + "." + part;
  }

  static RetrySpec retry(JsonNode value) {
    if (value == null || value.isNull()) {
      return RetrySpec.NONE;
    }
    if (!value.isObject()) {
      throw invalid(RETRY, "expected an object like {\"max_attempts\": 5, \"initial_delay\": \"1s\"}");
    }
    Iterator<String> names = value.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!RETRY_FIELDS.contains(name)) {
        throw new TriggerDefinitionException(ErrorCode.UNKNOWN_FIELD, field(name), "unknown field '" + field(name)
            + "' (expected one of " + RETRY_FIELDS + ")");
      }
    }
    Integer attempts = attempts(value.get(RetrySpec.MAX_ATTEMPTS));
    Duration initial = duration(value.get(RetrySpec.INITIAL_DELAY), field(RetrySpec.INITIAL_DELAY), MIN_DELAY,
        Backoff.MAX_ALLOWED_DELAY);
    Duration max = duration(value.get(RetrySpec.MAX_DELAY), field(RetrySpec.MAX_DELAY), MIN_DELAY,
        Backoff.MAX_ALLOWED_DELAY);
    if (initial != null && max != null && max.compareTo(initial) < 0) {
      throw invalid(field(RetrySpec.MAX_DELAY), "must be at least initial_delay (" + DurationText.format(initial)
          + ")");
    }
    Double multiplier = multiplier(value.get(RetrySpec.MULTIPLIER));
    Backoff.Jitter jitter = jitter(value.get(RetrySpec.JITTER));
    Duration maxAge = duration(value.get(RetrySpec.MAX_AGE), field(RetrySpec.MAX_AGE), MIN_MAX_AGE, MAX_MAX_AGE);
    return new RetrySpec(attempts, initial, max, multiplier, jitter, maxAge);
  }

  static Duration timeout(JsonNode value) {
    return duration(value, TIMEOUT, MIN_TIMEOUT, MAX_TIMEOUT);
  }

  private static Integer attempts(JsonNode value) {
    String path = field(RetrySpec.MAX_ATTEMPTS);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1
        || value.intValue() > MAX_ATTEMPTS) {
      throw invalid(path, "expected a whole number from 1 to " + MAX_ATTEMPTS + " (attempts in all, the first "
          + "included)");
    }
    return value.intValue();
  }

  private static Double multiplier(JsonNode value) {
    String path = field(RetrySpec.MULTIPLIER);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber() || !Double.isFinite(value.doubleValue()) || value.doubleValue() < 1.0
        || value.doubleValue() > MAX_MULTIPLIER) {
      throw invalid(path, "expected a number from 1 to " + (int) MAX_MULTIPLIER);
    }
    return value.doubleValue();
  }

  private static Backoff.Jitter jitter(JsonNode value) {
    String path = field(RetrySpec.JITTER);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isTextual()) {
      for (Backoff.Jitter jitter : Backoff.Jitter.values()) {
        if (jitter.name().toLowerCase(Locale.ROOT).equals(value.textValue())) {
          return jitter;
        }
      }
    }
    throw invalid(path, "expected \"none\", \"full\" or \"equal\"");
  }

  /** A duration text within {@code [min, max]}, or {@code null} when absent. */
  static Duration duration(JsonNode value, String path, Duration min, Duration max) {
    if (value == null || value.isNull()) {
      return null;
    }
    Duration duration = value.isTextual() ? DurationText.parse(value.textValue()).orElse(null) : null;
    if (duration == null) {
      throw invalid(path, "expected a duration like \"500ms\", \"30s\", \"5m\", \"2h\" or \"1d\"");
    }
    if (duration.isZero()) {
      throw invalid(path, "must be positive");
    }
    if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
      throw invalid(path, "must be from " + DurationText.format(min) + " to " + DurationText.format(max) + ", was "
          + DurationText.format(duration));
    }
    return duration;
  }

  static TriggerDefinitionException invalid(String field, String problem) {
    return new TriggerDefinitionException(ErrorCode.INVALID_FIELD, field, field + " " + problem);
  }
}
