package io.tycostream.triggers.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies that retry policies wait within their documented bounds and give up when attempts run out. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RetryPolicyTest {

  private static final int DRAWS = 5_000;
  // delay ceilings of the default policy before attempts 2..15, in seconds, written out by hand:
  // 1 s doubling each time, capped at one hour
  private static final long[] DEFAULT_CEILINGS_SECONDS =
      {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 3600, 3600};

  private static Duration delay(RetryPolicy policy, int attempt, RandomGenerator random) {
    Optional<Duration> delay = policy.delayBeforeAttempt(attempt, random);
    assertThat(delay).as("delay before attempt %d", attempt).isPresent();
    return delay.get();
  }

  /** Verifies that every default wait lies between half its ceiling and the ceiling, and actually varies. */
  @Test
  void defaultDelaysStayWithinEqualJitterBounds() {
    // GIVEN the default policy and a seeded random source
    RetryPolicy policy = RetryPolicy.defaults();
    SplittableRandom random = new SplittableRandom(7);

    for (int i = 0; i < DEFAULT_CEILINGS_SECONDS.length; i++) {
      int attempt = i + 2;
      Duration ceiling = Duration.ofSeconds(DEFAULT_CEILINGS_SECONDS[i]);
      Duration floor = ceiling.dividedBy(2);
      Duration shortest = ceiling;
      Duration longest = Duration.ZERO;

      // WHEN many delays are drawn for that attempt
      for (int draw = 0; draw < DRAWS; draw++) {
        Duration delay = delay(policy, attempt, random);

        // THEN each lies within [ceiling / 2, ceiling]
        assertThat(delay).as("attempt %d", attempt).isBetween(floor, ceiling);
        shortest = delay.compareTo(shortest) < 0 ? delay : shortest;
        longest = delay.compareTo(longest) > 0 ? delay : longest;
      }
      // AND the draws cover the range rather than sitting at one point
      assertThat(shortest).as("attempt %d shortest", attempt).isLessThan(ceiling.multipliedBy(55).dividedBy(100));
      assertThat(longest).as("attempt %d longest", attempt).isGreaterThan(ceiling.multipliedBy(95).dividedBy(100));
    }
  }

  /** Verifies that the first attempt is immediate and that attempts past the maximum are refused. */
  @Test
  void givesUpAfterMaxAttempts() {
    // GIVEN a policy of three attempts
    RetryPolicy policy = RetryPolicy.exponentialBackoff(Duration.ofMillis(100), 3.0, Duration.ofSeconds(1), 3);
    SplittableRandom random = new SplittableRandom(1);

    // WHEN asked for each attempt / THEN 1 is immediate, 2 and 3 wait, 4 and beyond mean dead letter
    assertThat(policy.delayBeforeAttempt(1, random)).contains(Duration.ZERO);
    assertThat(delay(policy, 2, random)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(delay(policy, 3, random)).isBetween(Duration.ofMillis(150), Duration.ofMillis(300));
    assertThat(policy.delayBeforeAttempt(4, random)).isEmpty();
    assertThat(policy.delayBeforeAttempt(Integer.MAX_VALUE, random)).isEmpty();
  }

  /** Verifies that the ceiling holds for very late attempts, where the exponent would overflow. */
  @Test
  void capHoldsForVeryLateAttempts() {
    // GIVEN a policy that allows a huge number of attempts
    RetryPolicy policy = RetryPolicy.exponentialBackoff(Duration.ofSeconds(1), 10.0, Duration.ofMinutes(10),
        Integer.MAX_VALUE);
    SplittableRandom random = new SplittableRandom(3);

    // WHEN asked for late attempts / THEN each wait is within [5 min, 10 min]
    for (int attempt : new int[] {20, 400, 100_000, Integer.MAX_VALUE}) {
      assertThat(delay(policy, attempt, random)).isBetween(Duration.ofMinutes(5), Duration.ofMinutes(10));
    }
  }

  /** Verifies that a multiplier of 1 gives a constant ceiling. */
  @Test
  void multiplierOfOneKeepsTheCeilingConstant() {
    // GIVEN a constant backoff of 2 s
    RetryPolicy policy = RetryPolicy.exponentialBackoff(Duration.ofSeconds(2), 1.0, Duration.ofSeconds(2), 50);
    SplittableRandom random = new SplittableRandom(5);

    // WHEN asked for every attempt / THEN each wait is within [1 s, 2 s]
    for (int attempt = 2; attempt <= 50; attempt++) {
      assertThat(delay(policy, attempt, random)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }
  }

  /** Verifies the documented total span of the default policy before an event is dead-lettered. */
  @Test
  void defaultTotalSpanIsAsDocumented() {
    // GIVEN the default policy
    ExponentialBackoff policy = RetryPolicy.defaults();

    // WHEN its span is asked / THEN it matches the hand-computed sums (1+2+…+2048 = 4095 s, plus 2 × 3600 s)
    assertThat(policy.maxAttempts()).isEqualTo(15);
    assertThat(policy.longestTotalSpan()).isEqualTo(Duration.ofSeconds(11_295));
    assertThat(policy.shortestTotalSpan()).isEqualTo(Duration.ofMillis(5_647_500));
  }

  /** Verifies that noRetry allows exactly one attempt. */
  @Test
  void noRetryAllowsOnlyTheFirstAttempt() {
    // GIVEN / WHEN / THEN
    RetryPolicy policy = RetryPolicy.noRetry();
    assertThat(policy.delayBeforeAttempt(1, new SplittableRandom(1))).contains(Duration.ZERO);
    assertThat(policy.delayBeforeAttempt(2, new SplittableRandom(1))).isEmpty();
  }

  /** Verifies that each invalid parameter is refused with a message naming it. */
  @Test
  void validationNamesTheParameter() {
    // GIVEN / WHEN each parameter is out of range / THEN the message names it
    Duration second = Duration.ofSeconds(1);
    assertThatThrownBy(() -> RetryPolicy.exponentialBackoff(Duration.ZERO, 2, second, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("initialDelay must be positive");
    assertThatThrownBy(() -> RetryPolicy.exponentialBackoff(second.negated(), 2, second, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("initialDelay");
    assertThatThrownBy(() -> RetryPolicy.exponentialBackoff(second, 0.5, second, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("multiplier");
    assertThatThrownBy(() -> RetryPolicy.exponentialBackoff(second, Double.NaN, second, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("multiplier");
    assertThatThrownBy(() -> RetryPolicy.exponentialBackoff(second, 2, Duration.ofMillis(999), 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("maxDelay must be at least");
    assertThatThrownBy(() -> RetryPolicy.exponentialBackoff(second, 2, Duration.ofDays(8), 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("maxDelay must be at most");
    assertThatThrownBy(() -> RetryPolicy.exponentialBackoff(second, 2, second, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("maxAttempts");
    assertThatThrownBy(() -> RetryPolicy.defaults().delayBeforeAttempt(0, new SplittableRandom(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("attemptNumber");
  }
}
