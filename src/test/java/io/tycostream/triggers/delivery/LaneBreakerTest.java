package io.tycostream.triggers.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.delivery.LaneBreaker.Permit;
import io.tycostream.triggers.delivery.LaneBreaker.State;
import io.tycostream.triggers.delivery.LaneBreaker.Verdict;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies the circuit breaker of one webhook URL as a pure state machine. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LaneBreakerTest {

  private static final long RESET_MS = 1_000;

  /** Verifies that consecutive failures open the circuit and a success in between resets the count. */
  @Test
  void opensAfterConsecutiveFailuresOnly() {
    // GIVEN a breaker opening after 3 failures
    LaneBreaker breaker = new LaneBreaker(3, RESET_MS);

    // WHEN two failures, a success, then three failures are recorded
    breaker.record(false, Verdict.FAILURE, 0);
    breaker.record(false, Verdict.FAILURE, 0);
    breaker.record(false, Verdict.SUCCESS, 0);
    boolean openedEarly = breaker.record(false, Verdict.FAILURE, 0) | breaker.record(false, Verdict.FAILURE, 0);
    boolean opened = breaker.record(false, Verdict.FAILURE, 5);

    // THEN only the third failure in a row opened it, until the reset time
    assertThat(openedEarly).isFalse();
    assertThat(opened).isTrue();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.reopenAtMs()).isEqualTo(5 + RESET_MS);
    assertThat(breaker.tryAcquire(5 + RESET_MS - 1)).isEqualTo(Permit.NONE);
  }

  /** Verifies that one probe goes after the reset time, and its answer closes or re-opens the circuit. */
  @Test
  void probesOnceAfterTheResetTime() {
    // GIVEN an open breaker
    LaneBreaker breaker = new LaneBreaker(1, RESET_MS);
    breaker.record(false, Verdict.FAILURE, 0);

    // WHEN the reset time comes
    Permit probe = breaker.tryAcquire(RESET_MS);
    Permit second = breaker.tryAcquire(RESET_MS);
    // and a request started before it opened answers meanwhile
    boolean lateSuccess = breaker.record(false, Verdict.SUCCESS, RESET_MS);

    // THEN exactly one probe goes; the late answer changes nothing; the probe's failure re-opens the circuit
    assertThat(probe).isEqualTo(Permit.PROBE);
    assertThat(second).isEqualTo(Permit.NONE);
    assertThat(lateSuccess).isFalse();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.record(true, Verdict.FAILURE, 1_500)).isTrue();
    assertThat(breaker.reopenAtMs()).isEqualTo(1_500 + RESET_MS);
    // AND the next probe's success closes it
    assertThat(breaker.tryAcquire(1_500 + RESET_MS)).isEqualTo(Permit.PROBE);
    breaker.record(true, Verdict.SUCCESS, 2_600);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.tryAcquire(2_600)).isEqualTo(Permit.REQUEST);
  }

  /** Verifies that a probe that never reached the endpoint lets the next request probe instead. */
  @Test
  void aProbeThatNeverReachedTheEndpointHandsTheProbeOn() {
    // GIVEN a half-open breaker whose probe was refused before any request (its address was not allowed)
    LaneBreaker breaker = new LaneBreaker(1, RESET_MS);
    breaker.record(false, Verdict.FAILURE, 0);
    breaker.tryAcquire(RESET_MS);

    // WHEN its verdict is neutral
    boolean reopened = breaker.record(true, Verdict.NEUTRAL, RESET_MS + 1);

    // THEN the circuit did not count it, and the next request is the probe at once
    assertThat(reopened).isFalse();
    assertThat(breaker.tryAcquire(RESET_MS + 1)).isEqualTo(Permit.PROBE);
  }
}
