package io.tycostream.triggers.delivery;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with <em>equal jitter</em>: before attempt {@code n ≥ 2} the ceiling is
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

  private final Duration initialDelay;
  private final double multiplier;
  private final Duration maxDelay;
  private final int maxAttempts;

  ExponentialBackoff(Duration initialDelay, double multiplier, Duration maxDelay, int maxAttempts) {
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (initialDelay.isNegative() || initialDelay.isZero()) {
      throw new IllegalArgumentException("initialDelay must be positive, was " + initialDelay);
    }
    if (!Double.isFinite(multiplier) || multiplier < 1.0) {
      throw new IllegalArgumentException("multiplier must be a finite number of at least 1, was " + multiplier);
    }
    if (maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException("maxDelay must be at least initialDelay (" + initialDelay + "), was "
          + maxDelay);
    }
    if (maxDelay.compareTo(MAX_ALLOWED_DELAY) > 0) {
      throw new IllegalArgumentException("maxDelay must be at most " + MAX_ALLOWED_DELAY + ", was " + maxDelay);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    this.initialDelay = initialDelay;
    this.multiplier = multiplier;
    this.maxDelay = maxDelay;
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
    long ceiling = ceilingNanos(attemptNumber);
    long half = ceiling / 2;
    return Optional.of(Duration.ofNanos(ceiling - half + random.nextLong(half + 1)));
  }

  /** Sum of the shortest possible waits: the least time between the first attempt and dead-lettering. */
  public Duration shortestTotalSpan() {
    long total = 0;
    for (int attempt = 2; attempt <= maxAttempts; attempt++) {
      long ceiling = ceilingNanos(attempt);
      total += ceiling - ceiling / 2;
    }
    return Duration.ofNanos(total);
  }

  /** Sum of the longest possible waits: the most time between the first attempt and dead-lettering. */
  public Duration longestTotalSpan() {
    long total = 0;
    for (int attempt = 2; attempt <= maxAttempts; attempt++) {
      total += ceilingNanos(attempt);
    }
    return Duration.ofNanos(total);
  }

  public Duration initialDelay() {
    return initialDelay;
  }

  public double multiplier() {
    return multiplier;
  }

  public Duration maxDelay() {
    return maxDelay;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  @Override
  public String toString() {
    return "ExponentialBackoff[initialDelay=" + initialDelay + ", multiplier=" + multiplier + ", maxDelay="
        + maxDelay + ", maxAttempts=" + maxAttempts + "]";
  }

  private long ceilingNanos(int attemptNumber) {
    long max = maxDelay.toNanos();
    // doubles are exact below 2^53 ns (~104 days), well above MAX_ALLOWED_DELAY; pow may overflow to infinity,
    // which the comparison caps
    double grown = initialDelay.toNanos() * Math.pow(multiplier, attemptNumber - 2);
    return grown >= max ? max : (long) grown;
  }
}
