package io.tycostream.triggers.delivery;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * Turns a failed attempt into the time of the next one, or into "dead-letter it": the {@link RetryPolicy} decides
 * whether another attempt is allowed and its delay; a receiver's {@code Retry-After} can only lengthen that delay
 * (it is a lower bound, capped at {@link RetryPolicy#MAX_ALLOWED_DELAY} so a hostile header cannot park an event for
 * years). Thread-safe if the random generator is (the verticle uses its own, on its event loop).
 */
public final class RetrySchedule {

  private final RetryPolicy policy;
  private final RandomGenerator random;

  public RetrySchedule(RetryPolicy policy, RandomGenerator random) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * When attempt {@code failedAttempt + 1} should start, in epoch ms.
   *
   * @param failedAttempt the 1-based number of the attempt that just failed
   * @param retryAfter    the wait the receiver asked for, if any
   * @param nowMs         the current time
   * @return empty when the policy allows no further attempt: the event is dead
   */
  public OptionalLong nextAttemptAt(int failedAttempt, Optional<Duration> retryAfter, long nowMs) {
    Optional<Duration> delay = policy.delayBeforeAttempt(failedAttempt + 1, random);
    if (delay.isEmpty()) {
      return OptionalLong.empty();
    }
    Duration wait = delay.get();
    Optional<Duration> asked = Objects.requireNonNull(retryAfter, "retryAfter");
    if (asked.isPresent() && asked.get().compareTo(wait) > 0) {
      wait = asked.get().compareTo(RetryPolicy.MAX_ALLOWED_DELAY) > 0 ? RetryPolicy.MAX_ALLOWED_DELAY : asked.get();
    }
    return OptionalLong.of(nowMs + wait.toMillis());
  }
}
