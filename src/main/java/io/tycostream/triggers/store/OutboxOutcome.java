package io.tycostream.triggers.store;

import java.util.Objects;

/**
 * What happened to one claimed outbox event, to be recorded with {@link Store#recordOutcomes}: an attempt that
 * delivered it, failed (with the time of the next one) or spent its retry policy, or no attempt at all (the event
 * goes back to the outbox, at a later time or at its old place).
 * <p>
 * Every outcome but {@link Kind#DELIVERED} is <em>fenced</em> by the claim it answers ({@code claimer} and
 * {@code claimedUntilMs}, as the claim returned them): it moves the event only while that claim still holds it, so a
 * late outcome can never end or move a newer claim. A {@code 2xx} is recorded whoever holds the event. Immutable.
 *
 * @param kind            what happened
 * @param eventId         the event
 * @param claimer         the incarnation that claimed it
 * @param claimedUntilMs  the lease end of that claim (the fence)
 * @param attemptNumber   the attempt's number (the claimed row's {@code attempts + 1}); 0 when no attempt was made
 * @param attempt         the attempt, {@code null} for {@link Kind#POSTPONED} and {@link Kind#RELEASED}
 * @param atMs            {@link Kind#RETRY} and {@link Kind#POSTPONED}: when the event is due again;
 *                        {@link Kind#DELIVERED}: when the {@code 2xx} arrived; otherwise unused
 * @param deadReason      {@link Kind#DEAD}: why; otherwise {@code null}
 */
public record OutboxOutcome(Kind kind, String eventId, String claimer, long claimedUntilMs, int attemptNumber,
                            DeliveryAttempt attempt, long atMs, DeadReason deadReason) {

  /** An outcome that is not {@link Kind#DEAD}, or a death of {@link DeadReason#ATTEMPTS_EXHAUSTED}. */
  public OutboxOutcome(Kind kind, String eventId, String claimer, long claimedUntilMs, int attemptNumber,
                       DeliveryAttempt attempt, long atMs) {
    this(kind, eventId, claimer, claimedUntilMs, attemptNumber, attempt, atMs,
        kind == Kind.DEAD ? DeadReason.ATTEMPTS_EXHAUSTED : null);
  }

  /** What an outcome does to its event. */
  public enum Kind {
    /** A {@code 2xx}: the event is delivered. */
    DELIVERED,
    /** A failed attempt: the event is due again at {@code atMs}. */
    RETRY,
    /** A failed attempt and the retry policy is spent: the event is dead-lettered. */
    DEAD,
    /** Not sent (its endpoint's circuit is open): due again at {@code atMs}, no attempt counted. */
    POSTPONED,
    /** Not sent (handed back unsent): due again at once, at its old place in the order; no attempt counted. */
    RELEASED
  }

  public OutboxOutcome {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(claimer, "claimer");
    boolean attempted = kind == Kind.DELIVERED || kind == Kind.RETRY || kind == Kind.DEAD;
    if (attempted != (attempt != null) || attempted != (attemptNumber > 0)) {
      throw new IllegalArgumentException(kind + " must " + (attempted ? "" : "not ")
          + "carry an attempt and its number, was " + attemptNumber + " " + attempt);
    }
    if ((kind == Kind.DEAD) != (deadReason != null)) {
      throw new IllegalArgumentException("a dead reason goes with DEAD and only with it, was " + kind + " "
          + deadReason);
    }
  }

  /** A {@code 2xx}, which arrived at the end of {@code attempt}. */
  public static OutboxOutcome delivered(StoredEvent claimed, DeliveryAttempt attempt) {
    long answeredAt = attempt.startedAt().toEpochMilli() + attempt.durationMs();
    return new OutboxOutcome(Kind.DELIVERED, claimed.eventId(), claimedBy(claimed), claimed.claimedUntilMs(),
        claimed.attempts() + 1, attempt, answeredAt);
  }

  /** A failed attempt; the event is due again at {@code nextAttemptAtMs}. */
  public static OutboxOutcome retry(StoredEvent claimed, DeliveryAttempt attempt, long nextAttemptAtMs) {
    return new OutboxOutcome(Kind.RETRY, claimed.eventId(), claimedBy(claimed), claimed.claimedUntilMs(),
        claimed.attempts() + 1, attempt, nextAttemptAtMs);
  }

  /** A failed attempt after which the retry policy allows no other: the event is dead-lettered. */
  public static OutboxOutcome dead(StoredEvent claimed, DeliveryAttempt attempt) {
    return dead(claimed, attempt, DeadReason.ATTEMPTS_EXHAUSTED);
  }

  /** A failed attempt (or one counted without a request) after which the event is dead-lettered, for {@code reason}. */
  public static OutboxOutcome dead(StoredEvent claimed, DeliveryAttempt attempt, DeadReason reason) {
    return new OutboxOutcome(Kind.DEAD, claimed.eventId(), claimedBy(claimed), claimed.claimedUntilMs(),
        claimed.attempts() + 1, attempt, 0, java.util.Objects.requireNonNull(reason, "reason"));
  }

  /** Not sent; due again at {@code nextAttemptAtMs}, without an attempt. */
  public static OutboxOutcome postponed(StoredEvent claimed, long nextAttemptAtMs) {
    return new OutboxOutcome(Kind.POSTPONED, claimed.eventId(), claimedBy(claimed), claimed.claimedUntilMs(), 0,
        null, nextAttemptAtMs);
  }

  /** Not sent; due again at once, keeping its place in the order, without an attempt. */
  public static OutboxOutcome released(StoredEvent claimed) {
    return new OutboxOutcome(Kind.RELEASED, claimed.eventId(), claimedBy(claimed), claimed.claimedUntilMs(), 0,
        null, 0);
  }

  private static String claimedBy(StoredEvent claimed) {
    if (claimed.claimedBy() == null) {
      throw new IllegalArgumentException("event " + claimed.eventId() + " is not claimed");
    }
    return claimed.claimedBy();
  }
}
