package io.tycostream.triggers.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * An outbox event as stored.
 *
 * @param eventId         the deterministic event id
 * @param triggerName     the trigger that emitted it
 * @param eventType       {@code FIRE}, {@code CLEAR}, …
 * @param sourceTimestamp the source time of the change
 * @param keyJson         the key as canonical JSON
 * @param dataJson        the payload data as JSON
 * @param status          pending, delivered or dead
 * @param attempts        delivery attempts recorded so far
 * @param nextAttemptAtMs epoch ms from which a pending event is due
 * @param claimedUntilMs  epoch ms until which a claimer holds its lease ({@code 0} when unclaimed)
 * @param createdAt       when the commit stored it
 * @param deliveredAt     when the 2xx was recorded, {@code null} unless delivered
 * @param lastError       the error of the last failed attempt, {@code null} if none
 * @param claimedBy       the incarnation of the delivery service holding its lease, {@code null} when unclaimed
 * @param sequence        its position in commit order: events committed later have larger sequences (events of one
 *                        commit are in change order)
 * @param suppressedReason why a {@code suppressed} event was not sent, {@code null} for the other statuses
 */
public record StoredEvent(String eventId, String triggerName, String eventType, BigInteger sourceTimestamp,
                          String keyJson, String dataJson, EventStatus status, int attempts, long nextAttemptAtMs,
                          long claimedUntilMs, Instant createdAt, Instant deliveredAt, String lastError,
                          String claimedBy, long sequence, SuppressedReason suppressedReason) {

  /** An event that was not suppressed. */
  public StoredEvent(String eventId, String triggerName, String eventType, BigInteger sourceTimestamp, String keyJson,
                     String dataJson, EventStatus status, int attempts, long nextAttemptAtMs, long claimedUntilMs,
                     Instant createdAt, Instant deliveredAt, String lastError, String claimedBy, long sequence) {
    this(eventId, triggerName, eventType, sourceTimestamp, keyJson, dataJson, status, attempts, nextAttemptAtMs,
        claimedUntilMs, createdAt, deliveredAt, lastError, claimedBy, sequence, null);
  }

  public StoredEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(triggerName, "triggerName");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(sourceTimestamp, "sourceTimestamp");
    Objects.requireNonNull(keyJson, "keyJson");
    Objects.requireNonNull(dataJson, "dataJson");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
