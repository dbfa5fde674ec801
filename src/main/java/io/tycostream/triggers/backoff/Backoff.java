package io.tycostream.triggers.backoff;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off with jitter: the one implementation shared by the source reconnects, the evaluator's commit
 * retries and the delivery retry policy. After the {@code n}-th consecutive failure the ceiling is
 * {@code min(max, initial × multiplier^(n-1))}, and the wait is drawn from it by the {@link Jitter} rule.
 * <p>
 * Immutable and thread-safe (given a thread-safe or confined random generator); all arithmetic is in nanoseconds.
 *
 * @see <a href="https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/">back-off and jitter</a>
 */
public final class Backoff {

  /** How a wait is drawn from the ceiling. */
  public enum Jitter {
    /** Exactly the ceiling: predictable, but failures that happened together retry together. */
    NONE,
    /** Uniform in {@code [0, ceiling]}: spreads many clients best; a retry may follow a failure at once. */
    FULL,
    /** Uniform in {@code [ceiling - ceiling/2, ceiling]}: spread, yet every wait keeps at least half its ceiling. */
    EQUAL
  }

  /** The longest wait any back-off may have; longer would outlive any sensible retention. */
  public static final Duration MAX_ALLOWED_DELAY = Duration.ofDays(7);

  private final Duration initial;
  private final double multiplier;
  private final Duration max;
  private final Jitter jitter;

  private Backoff(Duration initial, double multiplier, Duration max, Jitter jitter) {
    this.initial = initial;
    this.multiplier = multiplier;
    this.max = max;
    this.jitter = jitter;
  }

  /**
   * @throws IllegalArgumentException naming the parameter that is out of range: {@code initial} must be positive,
   *                                  {@code multiplier} finite and at least 1, {@code max} between {@code initial} and
   *                                  {@link #MAX_ALLOWED_DELAY}
   */
  public static Backoff of(Duration initial, double multiplier, Duration max, Jitter jitter) {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(jitter, "jitter");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initialDelay must be positive, was " + initial);
    }
    if (!Double.isFinite(multiplier) || multiplier < 1.0) {
      throw new IllegalArgumentException("multiplier must be a finite number of at least 1, was " + multiplier);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("maxDelay must be at least initialDelay (" + initial + "), was " + max);
    }
    if (max.compareTo(MAX_ALLOWED_DELAY) > 0) {
      throw new IllegalArgumentException("maxDelay must be at most " + MAX_ALLOWED_DELAY + ", was " + max);
    }
    return new Backoff(initial, multiplier, max, jitter);
  }

  /** The ceiling of the wait after {@code consecutiveFailures} (at least 1) failures in a row. */
  public Duration ceiling(int consecutiveFailures) {
    return Duration.ofNanos(ceilingNanos(consecutiveFailures));
  }

  /** The shortest wait the jitter can draw after {@code consecutiveFailures} failures. */
  public Duration shortest(int consecutiveFailures) {
    long ceiling = ceilingNanos(consecutiveFailures);
    return Duration.ofNanos(switch (jitter) {
      case NONE -> ceiling;
      case FULL -> 0;
      case EQUAL -> ceiling - ceiling / 2;
    });
  }

  /** A jittered wait after {@code consecutiveFailures} (at least 1) failures in a row. */
  public Duration delay(int consecutiveFailures, RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    long ceiling = ceilingNanos(consecutiveFailures);
    long shortest = shortest(consecutiveFailures).toNanos();
    return Duration.ofNanos(shortest == ceiling ? ceiling : shortest + random.nextLong(ceiling - shortest + 1));
  }

  public Duration initial() {
    return initial;
  }

  public double multiplier() {
    return multiplier;
  }

  public Duration max() {
    return max;
  }

  public Jitter jitter() {
    return jitter;
  }

  @Override
  public String toString() {
    return "Backoff[initial=" + initial + ", multiplier=" + multiplier + ", max=" + max + ", jitter=" + jitter + "]";
  }

  private long ceilingNanos(int consecutiveFailures) {
    if (consecutiveFailures < 1) {
      throw new IllegalArgumentException("consecutiveFailures must be at least 1, was " + consecutiveFailures);
    }
    long maxNanos = max.toNanos();
    // doubles are exact below 2^53 ns (~104 days), above MAX_ALLOWED_DELAY; pow may overflow to infinity, which the
    // comparison caps
    double grown = initial.toNanos() * Math.pow(multiplier, consecutiveFailures - 1);
    return grown >= maxNanos ? maxNanos : (long) grown;
  }
}
