package io.tycostream.triggers.delivery;

import io.tycostream.triggers.backoff.Backoff;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Decides how long to wait before each delivery attempt of an event, and when to give up.
 * <p>
 * Attempt 1 is the first send. After attempt {@code n} fails, the delivery loop asks for
 * {@code delayBeforeAttempt(n + 1, random)}: a duration schedules the next attempt, an empty result means the
 * policy is spent and the event moves to the dead-letter queue (design.md §3.6). Implementations must be pure
 * (the answer depends only on the arguments), so a policy is thread-safe and a schedule survives restarts: the
 * store only needs the attempt count.
 */
@FunctionalInterface
public interface RetryPolicy {

  /** Ceiling of the delay before the second attempt. */
  Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(1);
  /** Growth of the delay ceiling from one attempt to the next. */
  double DEFAULT_MULTIPLIER = 2.0;
  /**
   * Largest delay ceiling. One hour keeps a receiver that comes back after an outage from waiting long for the
   * backlog, while still spacing attempts against an endpoint that stays down.
   */
  Duration DEFAULT_MAX_DELAY = Duration.ofHours(1);
  /**
   * Total attempts including the first. With the other defaults the 14 waits have ceilings 1 s, 2 s, 4 s … 2048 s,
   * 1 h, 1 h: an event is retried for at least about 1 h 34 min and at most about 3 h 8 min (see
   * {@link ExponentialBackoff#shortestTotalSpan()} / {@link ExponentialBackoff#longestTotalSpan()}) before it is
   * dead-lettered. Longer outages are recovered by replaying the dead-letter queue.
   */
  int DEFAULT_MAX_ATTEMPTS = 15;
  /** Upper bound accepted for any delay, so arithmetic stays exact and a typo cannot park an event for years. */
  Duration MAX_ALLOWED_DELAY = Backoff.MAX_ALLOWED_DELAY;

  /**
   * The wait before attempt {@code attemptNumber} (1-based; attempt 1 gets {@link Duration#ZERO}), or empty when
   * the policy allows no such attempt.
   *
   * @param random source of jitter; pass a seeded generator in tests
   * @throws IllegalArgumentException if {@code attemptNumber < 1}
   */
  Optional<Duration> delayBeforeAttempt(int attemptNumber, RandomGenerator random);

  /**
   * Exponential backoff with equal jitter.
   *
   * @throws IllegalArgumentException naming the parameter that is out of range
   * @see ExponentialBackoff
   */
  static ExponentialBackoff exponentialBackoff(Duration initialDelay, double multiplier, Duration maxDelay,
                                               int maxAttempts) {
    return new ExponentialBackoff(initialDelay, multiplier, maxDelay, maxAttempts);
  }

  /** Exponential backoff with the {@code DEFAULT_*} parameters. */
  static ExponentialBackoff defaults() {
    return exponentialBackoff(DEFAULT_INITIAL_DELAY, DEFAULT_MULTIPLIER, DEFAULT_MAX_DELAY, DEFAULT_MAX_ATTEMPTS);
  }

  /** Exactly one attempt: a failure goes straight to the dead-letter queue. */
  static RetryPolicy noRetry() {
    return (attemptNumber, random) -> {
      requireValidAttempt(attemptNumber);
      return attemptNumber == 1 ? Optional.of(Duration.ZERO) : Optional.empty();
    };
  }

  /** Shared argument check for implementations. */
  static void requireValidAttempt(int attemptNumber) {
    if (attemptNumber < 1) {
      throw new IllegalArgumentException("attemptNumber must be at least 1, was " + attemptNumber);
    }
  }
}
