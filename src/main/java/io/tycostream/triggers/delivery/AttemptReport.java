package io.tycostream.triggers.delivery;

import io.tycostream.triggers.delivery.LaneBreaker.Verdict;
import io.tycostream.triggers.store.DeadReason;
import io.tycostream.triggers.store.DeliveryAttempt;
import io.tycostream.triggers.store.OutboxOutcome;
import io.tycostream.triggers.store.StoredEvent;
import java.util.OptionalLong;

/**
 * What one attempt came to: its verdict on the endpoint (for the lane's breaker) and what to record. Immutable.
 *
 * @param verdict       what the attempt says about the endpoint
 * @param attempt       the attempt to record, {@code null} when it was abandoned by a stop
 * @param delivered     whether a {@code 2xx} arrived
 * @param nextAttemptAt when to try again after a failure; empty when the event is dead
 * @param deadReason    why the event is dead, {@code null} unless it is
 */
record AttemptReport(Verdict verdict, DeliveryAttempt attempt, boolean delivered, OptionalLong nextAttemptAt,
                     DeadReason deadReason) {

  /** A report whose failure, when it ends the event, spent its retry policy. */
  AttemptReport(Verdict verdict, DeliveryAttempt attempt, boolean delivered, OptionalLong nextAttemptAt) {
    this(verdict, attempt, delivered, nextAttemptAt, attempt != null && !delivered && nextAttemptAt.isEmpty()
        ? DeadReason.ATTEMPTS_EXHAUSTED : null);
  }

  /** A failed attempt followed by {@code step}. */
  static AttemptReport failed(Verdict verdict, DeliveryAttempt attempt, RetrySchedule.Step step) {
    return new AttemptReport(verdict, attempt, false, step.nextAttemptAt(), step.deadReason());
  }

  /** An attempt abandoned by a stop: nothing is recorded, the event is re-sent after a restart. */
  static AttemptReport abandoned() {
    return new AttemptReport(Verdict.NEUTRAL, null, false, OptionalLong.empty());
  }

  boolean isAbandoned() {
    return attempt == null;
  }

  /** The outcome to record for the event's current claim (the fence of the outcome). */
  OutboxOutcome outcomeFor(StoredEvent claim) {
    if (delivered) {
      return OutboxOutcome.delivered(claim, attempt);
    }
    return nextAttemptAt.isPresent()
        ? OutboxOutcome.retry(claim, attempt, nextAttemptAt.getAsLong())
        : OutboxOutcome.dead(claim, attempt, deadReason == null ? DeadReason.ATTEMPTS_EXHAUSTED : deadReason);
  }
}
