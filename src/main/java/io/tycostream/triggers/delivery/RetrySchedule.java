package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.RetryDefaults;
import io.tycostream.triggers.definition.RetrySpec;
import io.tycostream.triggers.store.DeadReason;
import io.tycostream.triggers.store.StoredEvent;
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
 * <p>
 * A trigger with its own {@code retry} ({@link RetrySpec}, #11) is scheduled by {@link #afterFailure}: the policy its
 * given parts and the {@link RetryDefaults} make up, and its {@code max_age}: an event whose next attempt would start
 * at or after its commit time plus {@code max_age} is dead-lettered now, as {@link DeadReason#EXPIRED}, whatever
 * attempts are left ({@link #isExpired} covers an event that comes due that late).
 */
public final class RetrySchedule {

  /**
   * What follows a failed attempt: the next attempt's time, or the dead-letter queue and why.
   *
   * @param nextAttemptAt empty when the event is dead
   * @param deadReason    why the event is dead, {@code null} while it is retried
   */
  public record Step(OptionalLong nextAttemptAt, DeadReason deadReason) {

    static Step retryAt(long atMs) {
      return new Step(OptionalLong.of(atMs), null);
    }

    static Step dead(DeadReason reason) {
      return new Step(OptionalLong.empty(), reason);
    }
  }

  private final RetryPolicy policy;
  private final RetryDefaults defaults;
  private final RandomGenerator random;

  /** The service's policy for every event; a trigger's own parts fall back to {@link RetryDefaults#STANDARD}. */
  public RetrySchedule(RetryPolicy policy, RandomGenerator random) {
    this(policy, RetryDefaults.STANDARD, random);
  }

  /**
   * @param policy   the service's policy, for triggers without their own
   * @param defaults what the parts a trigger's {@code retry} leaves out are
   */
  public RetrySchedule(RetryPolicy policy, RetryDefaults defaults, RandomGenerator random) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.defaults = Objects.requireNonNull(defaults, "defaults");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * What follows the failure of {@code event}'s next attempt (number {@code event.attempts() + 1}) under its
   * trigger's {@code retry}.
   *
   * @param retryAfter the wait the receiver asked for, if any
   */
  public Step afterFailure(StoredEvent event, RetrySpec retry, Optional<Duration> retryAfter, long nowMs) {
    RetryPolicy chosen = retry.shapesBackoff()
        ? new ExponentialBackoff(retry.backoff(defaults), retry.attempts(defaults)) : policy;
    OptionalLong next = nextAttemptAt(chosen, event.attempts() + 1, retryAfter, nowMs);
    if (next.isEmpty()) {
      return Step.dead(DeadReason.ATTEMPTS_EXHAUSTED);
    }
    if (retry.maxAge() != null && next.getAsLong() >= deadline(event, retry)) {
      return Step.dead(DeadReason.EXPIRED);
    }
    return Step.retryAt(next.getAsLong());
  }

  /** Whether {@code event} is past its trigger's {@code retry.max_age} at {@code nowMs}: it is not sent any more. */
  public static boolean isExpired(StoredEvent event, RetrySpec retry, long nowMs) {
    return retry.maxAge() != null && nowMs >= deadline(event, retry);
  }

  private static long deadline(StoredEvent event, RetrySpec retry) {
    return event.createdAt().toEpochMilli() + retry.maxAge().toMillis();
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
    return nextAttemptAt(policy, failedAttempt, retryAfter, nowMs);
  }

  private OptionalLong nextAttemptAt(RetryPolicy policy, int failedAttempt, Optional<Duration> retryAfter,
                                     long nowMs) {
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
