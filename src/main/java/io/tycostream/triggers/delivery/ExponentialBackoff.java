package io.tycostream.triggers.delivery;

import io.tycostream.triggers.backoff.Backoff;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The delivery retry policy: the shared {@link Backoff} with <em>equal jitter</em> (a trigger's own {@code retry} may
 * choose another) and a bound on attempts. Before
 * attempt {@code n ≥ 2} the ceiling is
 * {@code min(maxDelay, initialDelay × multiplier^(n-2))} and the wait is drawn uniformly from
 * {@code [ceiling − ⌊ceiling/2⌋, ceiling]}.
 * <p>
 * Why equal rather than full jitter ({@code [0, ceiling]}): full jitter spreads load best when many clients
 * compete for one server, but it can retry an endpoint that has just failed almost immediately, and its total
 * span has no useful lower bound. A webhook endpoint that fails is usually down or overloaded, so each wait
 * keeps at least half its ceiling; a burst of events that failed together is still spread over the other half,
 * and the time before dead-lettering stays predictable (between {@link #shortestTotalSpan()} and
 * {@link #longestTotalSpan()}).
 * <p>
 * Immutable and thread-safe; all arithmetic is in nanoseconds.
 */
public final class ExponentialBackoff implements RetryPolicy {

  private final Backoff backoff;
  private final int maxAttempts;

  ExponentialBackoff(Duration initialDelay, double multiplier, Duration maxDelay, int maxAttempts) {
    this(Backoff.of(initialDelay, multiplier, maxDelay, Backoff.Jitter.EQUAL), maxAttempts);
  }

  /** A policy over any {@link Backoff} (a trigger's own {@code retry}, whose jitter may differ). */
  ExponentialBackoff(Backoff backoff, int maxAttempts) {
    this.backoff = java.util.Objects.requireNonNull(backoff, "backoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
  }

  @Override
  public Optional<Duration> delayBeforeAttempt(int attemptNumber, RandomGenerator random) {
    RetryPolicy.requireValidAttempt(attemptNumber);
    Objects.requireNonNull(random, "random");
    if (attemptNumber == 1) {
      return Optional.of(Duration.ZERO);
    }
    if (attemptNumber > maxAttempts) {
      return Optional.empty();
    }
    return Optional.of(backoff.delay(attemptNumber - 1, random));
  }

  /** Sum of the shortest possible waits: the least time between the first attempt and dead-lettering. */
  public Duration shortestTotalSpan() {
    Duration total = Duration.ZERO;
    for (int failures = 1; failures < maxAttempts; failures++) {
      total = total.plus(backoff.shortest(failures));
    }
    return total;
  }

  /** Sum of the longest possible waits: the most time between the first attempt and dead-lettering. */
  public Duration longestTotalSpan() {
    Duration total = Duration.ZERO;
    for (int failures = 1; failures < maxAttempts; failures++) {
      total = total.plus(backoff.ceiling(failures));
    }
    return total;
  }

  public Duration initialDelay() {
    return backoff.initial();
  }

  public double multiplier() {
    return backoff.multiplier();
  }

  public Duration maxDelay() {
    return backoff.max();
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Backoff.Jitter jitter() {
    return backoff.jitter();
  }

  @Override
  public String toString() {
    return "ExponentialBackoff[initialDelay=" + initialDelay() + ", multiplier=" + multiplier() + ", maxDelay="
        + maxDelay() + ", maxAttempts=" + maxAttempts + ", jitter=" + jitter() + "]";
  }
}
