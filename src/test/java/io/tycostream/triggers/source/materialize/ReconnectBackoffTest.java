package io.tycostream.triggers.source.materialize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReconnectBackoffTest {

  /** Verifies that the ceiling doubles per failure and stops at the maximum. */
  @Test
  void ceilingDoublesUpToMax() {
    ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(1), () -> 0.5);
    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofMillis(800));
    assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.ceiling(1_000)).isEqualTo(Duration.ofSeconds(1));
  }

  /** Verifies that jittered delays stay within [1 ms, ceiling] and actually spread. */
  @Test
  void delaysStayWithinBoundsAndSpread() {
    Random random = new Random(42);
    ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(1_600),
        random::nextDouble);
    for (int failures = 1; failures <= 10; failures++) {
      long ceiling = Math.min(1_600, 100L << Math.min(failures - 1, 20));
      long min = Long.MAX_VALUE;
      long max = 0;
      for (int i = 0; i < 200; i++) {
        long delay = backoff.delay(failures).toMillis();
        assertThat(delay).isBetween(1L, ceiling);
        min = Math.min(min, delay);
        max = Math.max(max, delay);
      }
      assertThat(max - min).isGreaterThan(ceiling / 2);
    }
  }

  /** Verifies the extreme random values: 0 gives the 1 ms floor, just below 1 gives the ceiling. */
  @Test
  void extremeRandomValuesHitTheBounds() {
    assertThat(new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(5), () -> 0.0).delay(3))
        .isEqualTo(Duration.ofMillis(1));
    assertThat(new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(5), () -> 0.999_999).delay(3))
        .isEqualTo(Duration.ofMillis(400));
  }

  /** Verifies that a maximum below the initial delay is refused. */
  @Test
  void rejectsMaxBelowInitial() {
    assertThatThrownBy(() -> new ReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
