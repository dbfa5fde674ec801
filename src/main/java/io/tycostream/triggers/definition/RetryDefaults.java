package io.tycostream.triggers.definition;

import io.tycostream.triggers.backoff.Backoff;
import io.tycostream.triggers.error.ErrorCode;

import java.time.Duration;
import java.util.Objects;

/**
 * What a trigger's {@link RetrySpec} and {@code timeout} fall back to, and the limits they must keep: the service's
 * retry policy, request timeout and event retention ({@code delivery.history_retention_hours}). The admin API checks
 * each new or patched definition with {@link #check}. Immutable.
 *
 * @param initialDelay   the default ceiling of the wait before the second attempt
 * @param multiplier     the default growth of the ceiling
 * @param maxDelay       the default largest ceiling
 * @param maxAttempts    the default number of attempts, the first included
 * @param jitter         the default jitter ({@code equal}, as the service's own policy)
 * @param requestTimeout the default time allowed for a receiver to answer
 * @param retention      how long delivered and dead events are kept: no retry policy may outlast it
 */
public record RetryDefaults(Duration initialDelay, double multiplier, Duration maxDelay, int maxAttempts,
                            Backoff.Jitter jitter, Duration requestTimeout, Duration retention) {

  /** The service's built-in defaults: 1 s doubling to 1 h, 15 attempts, equal jitter, 10 s timeout, 7 days kept. */
  public static final RetryDefaults STANDARD = new RetryDefaults(Duration.ofSeconds(1), 2.0, Duration.ofHours(1), 15,
      Backoff.Jitter.EQUAL, Duration.ofSeconds(10), Duration.ofDays(7));

  public RetryDefaults {
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(jitter, "jitter");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(retention, "retention");
  }

  /**
   * Checks what a definition's retry policy becomes with these defaults: its {@code max_delay} not below its
   * {@code initial_delay}, its shortest total span (the least time from the first attempt to dead-lettering) and its
   * {@code max_age} within the retention.
   *
   * @throws TriggerDefinitionException naming the part at fault ({@code retry.max_delay}, …)
   */
  public void check(TriggerDefinition definition) {
    RetrySpec spec = definition.retry();
    if (!spec.shapesBackoff() && spec.maxAge() == null) {
      return;
    }
    Duration initial = spec.initialDelay() != null ? spec.initialDelay() : initialDelay;
    Duration max = spec.maxDelay() != null ? spec.maxDelay() : maxDelay;
    if (max.compareTo(initial) < 0) {
      String field = spec.maxDelay() != null ? RetrySpecParser.field(RetrySpec.MAX_DELAY)
          : RetrySpecParser.field(RetrySpec.INITIAL_DELAY);
      throw invalid(field, "the policy's max_delay (" + DurationText.format(max) + ") is below its initial_delay ("
          + DurationText.format(initial) + "); give both");
    }
    Duration span = shortestTotalSpan(spec.backoff(this), spec.attempts(this));
    if (span.compareTo(retention) > 0) {
      String field = spec.maxAttempts() != null ? RetrySpecParser.field(RetrySpec.MAX_ATTEMPTS)
          : RetrySpecParser.TRIGGER_FIELD;
      throw invalid(field, "the policy retries for at least " + DurationText.format(span) + ", longer than the "
          + DurationText.format(retention) + " events are kept (delivery.history_retention_hours)");
    }
    if (spec.maxAge() != null && spec.maxAge().compareTo(retention) > 0) {
      throw invalid(RetrySpecParser.field(RetrySpec.MAX_AGE), "must not exceed the "
          + DurationText.format(retention) + " events are kept (delivery.history_retention_hours)");
    }
  }

  /** The sum of the shortest waits: the least time between the first attempt and dead-lettering. */
  public static Duration shortestTotalSpan(Backoff backoff, int attempts) {
    Duration total = Duration.ZERO;
    for (int failures = 1; failures < attempts; failures++) {
      total = total.plus(backoff.shortest(failures));
    }
    return total;
  }

  private static TriggerDefinitionException invalid(String field, String problem) {
    return new TriggerDefinitionException(ErrorCode.INVALID_FIELD, field, field + ": " + problem);
  }
}
