package io.tycostream.triggers.definition;

import io.tycostream.triggers.backoff.Backoff;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Locale;

/**
 * A trigger's own retry policy ({@code retry} in its definition): every part optional, a missing part taken from the
 * service's defaults ({@link RetryDefaults}, the {@code delivery:} configuration) when the policy is
 * {@linkplain #resolve resolved}. {@link #NONE} (no part given) means "the service's policy, unchanged".
 * <p>
 * The parts are checked one by one by {@link RetrySpecParser}; the checks that need the defaults (a default
 * {@code max_delay} below a given {@code initial_delay}, a policy longer than the event retention) are
 * {@link RetryDefaults#check}. Immutable.
 *
 * @param maxAttempts  attempts in all, the first included; {@code null} for the default
 * @param initialDelay the ceiling of the wait before the second attempt; {@code null} for the default
 * @param maxDelay     the largest wait ceiling; {@code null} for the default
 * @param multiplier   the growth of the ceiling from one wait to the next; {@code null} for the default
 * @param jitter       how a wait is drawn from its ceiling; {@code null} for the default ({@code equal})
 * @param maxAge       an event still undelivered this long after it was committed is dead-lettered as
 *                     {@code expired}; {@code null} for no limit but the attempts
 */
public record RetrySpec(Integer maxAttempts, Duration initialDelay, Duration maxDelay, Double multiplier,
                        Backoff.Jitter jitter, Duration maxAge) {

  /** No part given: the service's retry policy as it is. */
  public static final RetrySpec NONE = new RetrySpec(null, null, null, null, null, null);

  static final String MAX_ATTEMPTS = "max_attempts";
  static final String INITIAL_DELAY = "initial_delay";
  static final String MAX_DELAY = "max_delay";
  static final String MULTIPLIER = "multiplier";
  static final String JITTER = "jitter";
  static final String MAX_AGE = "max_age";

  /** Whether no part is given. */
  public boolean isNone() {
    return equals(NONE);
  }

  /** Whether a part of the back-off itself (not only {@code max_age}) is given. */
  public boolean shapesBackoff() {
    return maxAttempts != null || initialDelay != null || maxDelay != null || multiplier != null || jitter != null;
  }

  /** The back-off of this policy, missing parts from {@code defaults}. */
  public Backoff backoff(RetryDefaults defaults) {
    return Backoff.of(initialDelay != null ? initialDelay : defaults.initialDelay(),
        multiplier != null ? multiplier : defaults.multiplier(),
        maxDelay != null ? maxDelay : defaults.maxDelay(),
        jitter != null ? jitter : defaults.jitter());
  }

  /** The attempts of this policy, the first included, the default when not given. */
  public int attempts(RetryDefaults defaults) {
    return maxAttempts != null ? maxAttempts : defaults.maxAttempts();
  }

  /** The given parts in the definition's JSON shape (durations as text, e.g. {@code "500ms"}). */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (maxAttempts != null) {
      json.put(MAX_ATTEMPTS, maxAttempts);
    }
    if (initialDelay != null) {
      json.put(INITIAL_DELAY, DurationText.format(initialDelay));
    }
    if (maxDelay != null) {
      json.put(MAX_DELAY, DurationText.format(maxDelay));
    }
    if (multiplier != null) {
      // a whole multiplier reads back as written (2, not 2.0)
      json.put(MULTIPLIER, multiplier % 1 == 0 ? (Object) multiplier.intValue() : multiplier);
    }
    if (jitter != null) {
      json.put(JITTER, jitter.name().toLowerCase(Locale.ROOT));
    }
    if (maxAge != null) {
      json.put(MAX_AGE, DurationText.format(maxAge));
    }
    return json;
  }
}
