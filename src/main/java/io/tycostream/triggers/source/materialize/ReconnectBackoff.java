package io.tycostream.triggers.source.materialize;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential back-off with full jitter: after the n-th consecutive failure the delay is uniform in
 * {@code [1 ms, min(max, initial · 2^(n-1))]}. Jitter spreads the reconnects of many sources after a server restart.
 * Pure; thread-safe if the random source is.
 */
final class ReconnectBackoff {

  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;

  /**
   * @param random yields values in {@code [0, 1)}; e.g. {@code ThreadLocalRandom.current()::nextDouble}
   */
  public ReconnectBackoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initial = Objects.requireNonNull(initial, "initial");
    this.max = Objects.requireNonNull(max, "max");
    this.random = Objects.requireNonNull(random, "random");
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max: " + initial + ", " + max);
    }
  }

  /** The upper bound of the delay after {@code consecutiveFailures} (≥ 1) failures in a row. */
  public Duration ceiling(int consecutiveFailures) {
    int doublings = Math.max(0, Math.min(consecutiveFailures - 1, 40));
    long ceilingMs = initial.toMillis();
    for (int i = 0; i < doublings && ceilingMs < max.toMillis(); i++) {
      ceilingMs *= 2;
    }
    return Duration.ofMillis(Math.min(ceilingMs, max.toMillis()));
  }

  /** A jittered delay after {@code consecutiveFailures} (≥ 1) failures in a row; at least 1 ms (a timer minimum). */
  public Duration delay(int consecutiveFailures) {
    long ceilingMs = ceiling(consecutiveFailures).toMillis();
    long delayMs = (long) Math.floor(random.getAsDouble() * (ceilingMs + 1));
    return Duration.ofMillis(Math.max(1, Math.min(delayMs, ceilingMs)));
  }
}
