package io.tycostream.triggers.delivery;

import io.tycostream.triggers.delivery.LaneBreaker.Verdict;
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
 * @param nextAttemptAt when to try again after a failure; empty when the retry policy is spent
 */
record AttemptReport(Verdict verdict, DeliveryAttempt attempt, boolean delivered, OptionalLong nextAttemptAt) {

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
        : OutboxOutcome.dead(claim, attempt);
  }
}
