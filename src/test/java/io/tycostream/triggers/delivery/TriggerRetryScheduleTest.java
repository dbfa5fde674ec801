package io.tycostream.triggers.delivery;

import io.tycostream.triggers.backoff.Backoff;
import io.tycostream.triggers.definition.RetrySpec;
import io.tycostream.triggers.store.DeadReason;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.StoredEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Verifies how a trigger's own retry policy and max age schedule its events ({@link RetrySchedule#afterFailure}). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TriggerRetryScheduleTest {

  private static final long CREATED = 1_700_000_000_000L;
  /** 3 attempts, 100 ms doubling, exact waits. */
  private static final RetrySpec THREE_EXACT = new RetrySpec(3, Duration.ofMillis(100), Duration.ofSeconds(10), 2.0,
      Backoff.Jitter.NONE, null);

  /** The service's own policy: a single attempt, so a trigger that falls back to it dies at once. */
  private final RetrySchedule schedule = new RetrySchedule(RetryPolicy.noRetry(), new SplittableRandom(3));

  /** Verifies exact waits of 100 then 200 ms, and that the third failure spends the policy. */
  @Test
  void followsTheTriggersPolicyUntilItIsSpent() {
    RetrySchedule.Step first = schedule.afterFailure(event(0), THREE_EXACT, Optional.empty(), CREATED);
    RetrySchedule.Step second = schedule.afterFailure(event(1), THREE_EXACT, Optional.empty(), CREATED + 100);
    RetrySchedule.Step third = schedule.afterFailure(event(2), THREE_EXACT, Optional.empty(), CREATED + 300);

    assertThat(first.nextAttemptAt()).hasValue(CREATED + 100);
    assertThat(second.nextAttemptAt()).hasValue(CREATED + 300);
    assertThat(third.nextAttemptAt()).isEmpty();
    assertThat(third.deadReason()).isEqualTo(DeadReason.ATTEMPTS_EXHAUSTED);
  }

  /** Verifies that a trigger without its own policy follows the service's (here: no retry). */
  @Test
  void fallsBackToTheServicesPolicy() {
    RetrySchedule.Step step = schedule.afterFailure(event(0), RetrySpec.NONE, Optional.empty(), CREATED);
    assertThat(step.deadReason()).isEqualTo(DeadReason.ATTEMPTS_EXHAUSTED);
  }

  /** Verifies that a retry that would start at or past the max age dead-letters the event now, as expired. */
  @Test
  void expiresAnEventWhoseNextAttemptWouldBeTooLate() {
    RetrySpec aged = new RetrySpec(50, Duration.ofMillis(400), Duration.ofSeconds(10), 2.0, Backoff.Jitter.NONE,
        Duration.ofSeconds(1));

    // attempt 1 fails at +0: next at +400 ms, within the second
    RetrySchedule.Step early = schedule.afterFailure(event(0), aged, Optional.empty(), CREATED);
    // attempt 2 fails at +400: next would be at +1200 ms, past the second
    RetrySchedule.Step late = schedule.afterFailure(event(1), aged, Optional.empty(), CREATED + 400);

    assertThat(early.nextAttemptAt()).hasValue(CREATED + 400);
    assertThat(late.nextAttemptAt()).isEmpty();
    assertThat(late.deadReason()).isEqualTo(DeadReason.EXPIRED);
    assertThat(RetrySchedule.isExpired(event(1), aged, CREATED + 999)).isFalse();
    assertThat(RetrySchedule.isExpired(event(1), aged, CREATED + 1_000)).isTrue();
  }

  /** Verifies full jitter: every wait lies in [0, ceiling]. */
  @Test
  void drawsFullJitterFromZeroToTheCeiling() {
    RetrySpec full = new RetrySpec(5, Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0, Backoff.Jitter.FULL, null);
    for (int i = 0; i < 200; i++) {
      long next = schedule.afterFailure(event(0), full, Optional.empty(), CREATED).nextAttemptAt().orElseThrow();
      assertThat(next - CREATED).isBetween(0L, 1_000L);
    }
  }

  private static StoredEvent event(int attempts) {
    return new StoredEvent("e1", "t", "FIRE", BigInteger.ONE, "[1]", "{}", EventStatus.PENDING, attempts, 0, 0,
        Instant.ofEpochMilli(CREATED), null, null, "me", 1);
  }
}
