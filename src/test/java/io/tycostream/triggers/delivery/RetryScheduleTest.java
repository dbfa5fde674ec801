package io.tycostream.triggers.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies how a failed attempt becomes the time of the next one. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RetryScheduleTest {

  private static final long NOW = 1_700_000_000_000L;
  /** Fixed 10 s waits (no jitter room: ceiling 10 s, floor 5 s), three attempts. */
  private static final RetryPolicy POLICY =
    RetryPolicy.exponentialBackoff(Duration.ofSeconds(10), 1.0, Duration.ofSeconds(10), 3);

  private final RetrySchedule schedule = new RetrySchedule(POLICY, new SplittableRandom(7));

  /** Verifies that the policy's delay schedules the next attempt. */
  @Test
  void schedulesWithinThePolicysDelay() {
    // GIVEN the first attempt failed without Retry-After
    // WHEN the next attempt is scheduled
    long next = schedule.nextAttemptAt(1, Optional.empty(), NOW).orElseThrow();

    // THEN it lies within the equal-jitter window of the 10 s ceiling
    assertThat(next - NOW).isBetween(5_000L, 10_000L);
  }

  /** Verifies that Retry-After lengthens the wait but never shortens it. */
  @Test
  void honoursRetryAfterAsALowerBound() {
    // GIVEN / WHEN a receiver asks for a minute, and another for one second
    long longer = schedule.nextAttemptAt(1, Optional.of(Duration.ofSeconds(60)), NOW).orElseThrow();
    long shorter = schedule.nextAttemptAt(1, Optional.of(Duration.ofSeconds(1)), NOW).orElseThrow();

    // THEN the minute is honoured and the second is not allowed to hurry the retry
    assertThat(longer - NOW).isEqualTo(60_000L);
    assertThat(shorter - NOW).isBetween(5_000L, 10_000L);
  }

  /** Verifies that an absurd Retry-After is capped so it cannot park an event for years. */
  @Test
  void capsRetryAfter() {
    // GIVEN / WHEN a receiver asks for ten years
    long next = schedule.nextAttemptAt(1, Optional.of(Duration.ofDays(3650)), NOW).orElseThrow();

    // THEN the wait is the largest allowed delay, seven days
    assertThat(next - NOW).isEqualTo(Duration.ofDays(7).toMillis());
  }

  /** Verifies that the event is dead once the policy's last attempt failed, whatever Retry-After says. */
  @Test
  void givesUpAfterTheLastAttempt() {
    // GIVEN a three-attempt policy
    // WHEN the third attempt failed
    // THEN there is no next attempt
    assertThat(schedule.nextAttemptAt(2, Optional.empty(), NOW)).isPresent();
    assertThat(schedule.nextAttemptAt(3, Optional.of(Duration.ofSeconds(1)), NOW)).isEmpty();
  }
}
