package io.tycostream.triggers.backoff;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verifies the one back-off the reconnects, the commit retries and the delivery retries share. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BackoffTest {

  /** Verifies that the ceiling grows by the multiplier per failure and stops at the maximum. */
  @Test
  void ceilingGrowsUpToMax() {
    // GIVEN 200 ms doubling up to 1 s
    Backoff backoff = Backoff.of(Duration.ofMillis(200), 2, Duration.ofSeconds(1), Backoff.Jitter.FULL);

    // WHEN / THEN
    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofMillis(800));
    assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.ceiling(1_000)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Backoff.of(Duration.ofSeconds(1), 3, Duration.ofHours(1), Backoff.Jitter.NONE).ceiling(3))
        .isEqualTo(Duration.ofSeconds(9));
  }

  /** Verifies each jitter rule's range, and that the draws actually spread over it. */
  @Test
  void jitterStaysWithinItsRangeAndSpreads() {
    // GIVEN a seeded random source and each jitter rule over a 100 ms .. 1.6 s back-off
    Random random = new Random(42);
    for (Backoff.Jitter jitter : Backoff.Jitter.values()) {
      Backoff backoff = Backoff.of(Duration.ofMillis(100), 2, Duration.ofMillis(1_600), jitter);
      for (int failures = 1; failures <= 8; failures++) {
        long ceiling = Math.min(1_600, 100L << (failures - 1));
        long floor = switch (jitter) {
          case NONE -> ceiling;
          case FULL -> 0;
          case EQUAL -> ceiling - ceiling / 2;
        };
        long min = Long.MAX_VALUE;
        long max = 0;
        // WHEN 200 delays are drawn
        for (int i = 0; i < 200; i++) {
          long delay = backoff.delay(failures, random).toMillis();
          min = Math.min(min, delay);
          max = Math.max(max, delay);
        }
        // THEN they stay within [floor, ceiling] and spread over most of it
        assertThat(min).as("%s after %d failures", jitter, failures).isGreaterThanOrEqualTo(floor);
        assertThat(max).as("%s after %d failures", jitter, failures).isLessThanOrEqualTo(ceiling);
        assertThat(max - min).as("%s after %d failures", jitter, failures).isGreaterThanOrEqualTo((ceiling - floor) / 2);
      }
    }
  }

  /** Verifies the extreme random draws: the lowest gives the floor, the highest the ceiling. */
  @Test
  void extremeDrawsHitTheBounds() {
    // GIVEN random sources that always draw the lowest and the highest value
    RandomGenerator lowest = new FixedDraw(false);
    RandomGenerator highest = new FixedDraw(true);
    Backoff full = Backoff.of(Duration.ofMillis(100), 2, Duration.ofSeconds(5), Backoff.Jitter.FULL);
    Backoff equal = Backoff.of(Duration.ofMillis(100), 2, Duration.ofSeconds(5), Backoff.Jitter.EQUAL);

    // WHEN / THEN
    assertThat(full.delay(3, lowest)).isEqualTo(Duration.ZERO);
    assertThat(full.delay(3, highest)).isEqualTo(Duration.ofMillis(400));
    assertThat(equal.delay(3, lowest)).isEqualTo(Duration.ofMillis(200));
    assertThat(equal.delay(3, highest)).isEqualTo(Duration.ofMillis(400));
  }

  /** Verifies that out-of-range parameters are refused, naming the parameter. */
  @Test
  void refusesParametersOutOfRange() {
    assertThatThrownBy(() -> Backoff.of(Duration.ZERO, 2, Duration.ofSeconds(1), Backoff.Jitter.FULL))
        .hasMessageContaining("initialDelay");
    assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), Backoff.Jitter.FULL))
        .hasMessageContaining("maxDelay");
    assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1), Backoff.Jitter.FULL))
        .hasMessageContaining("multiplier");
    assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(1), 2, Duration.ofDays(8), Backoff.Jitter.FULL))
        .hasMessageContaining("maxDelay");
    assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(1), 2, Duration.ofSeconds(1), Backoff.Jitter.FULL)
        .delay(0, new Random())).hasMessageContaining("consecutiveFailures");
  }

  /** Draws the lowest or the highest value of every bounded request. */
  private static final class FixedDraw implements RandomGenerator {
    private final boolean highest;

    FixedDraw(boolean highest) {
      this.highest = highest;
    }

    @Override
    public long nextLong() {
      return 0;
    }

    @Override
    public long nextLong(long bound) {
      return highest ? bound - 1 : 0;
    }
  }
}
