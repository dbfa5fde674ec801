package io.tycostream.triggers.store;

import java.time.Instant;

/**
 * What a trigger did and holds now. The totals are kept by the database in the transaction that stores the events
 * (since schema version 7; history retained at the upgrade was counted then), so history pruning does not lower
 * them; {@code pending} and {@code dead} count the events in the outbox now (dead events leave it with pruning).
 * Immutable.
 *
 * @param triggerName    the trigger
 * @param matchedCount   keys matched now
 * @param firedTotal     FIRE events ever stored
 * @param clearedTotal   CLEAR events ever stored
 * @param lastFiredAt    when the last FIRE was stored, {@code null} if none
 * @param lastClearedAt  when the last CLEAR was stored, {@code null} if none
 * @param deliveredTotal events delivered (a {@code 2xx} recorded) ever
 * @param pending        events waiting for delivery
 * @param dead           dead-lettered events still retained
 * @param retrying       of the pending events, those with at least one failed attempt (waiting for their retry, or
 *                       being retried now): the retry queue
 */
public record TriggerActivity(String triggerName, long matchedCount, long firedTotal, long clearedTotal,
                              Instant lastFiredAt, Instant lastClearedAt, long deliveredTotal, long pending,
                              long dead, long retrying) {

  /** A trigger without any activity yet. */
  public static TriggerActivity none(String triggerName) {
    return new TriggerActivity(triggerName, 0, 0, 0, null, null, 0, 0, 0, 0);
  }
}
