package io.tycostream.triggers.store;

import io.vertx.core.Future;

import java.time.Instant;

/**
 * What operators do with the outbox beyond watching it: replay dead (or delivered) events, and page through events
 * across triggers. Threading and failures as {@link Store}.
 * <p>
 * <b>Replay.</b> A replayed event is pending again, due at once, with a fresh retry budget (its {@code attempts}
 * count starts again from 0) and the same {@code event_id}; its attempt history is kept and new attempts are numbered
 * after the old ones. Pending events are never touched: they already have a budget.
 */
public interface OutboxAdmin {

  /** What {@link #retryEvent} did. */
  enum Replay {
    /** The event is pending again. */
    RETRIED,
    /** No event with this id belongs to this trigger. */
    NOT_FOUND,
    /** The event is pending (waiting or in flight): nothing to replay. */
    STILL_PENDING
  }

  /** Replays one delivered or dead event of {@code triggerName}, due at {@code nowMs}. */
  Future<Replay> retryEvent(String triggerName, String eventId, long nowMs);

  /**
   * Replays every event of {@code triggerName} in {@code status} (delivered or dead) created in {@code [from, to)},
   * in one transaction; due at {@code nowMs}, so they are claimed again in commit order.
   *
   * @param from inclusive lower bound of {@code created_at}, or {@code null}
   * @param to   exclusive upper bound of {@code created_at}, or {@code null}
   * @return how many events were replayed
   * @throws IllegalArgumentException if {@code status} is {@link EventStatus#PENDING}
   */
  Future<Integer> retryEvents(String triggerName, EventStatus status, Instant from, Instant to, long nowMs);

  /**
   * One page of events across triggers, newest first (by {@code created_at}, then commit order), keyset-paged.
   *
   * @param status      only this status, or {@code null}
   * @param triggerName only this trigger, or {@code null}
   * @param after       the last event of the previous page, or {@code null} for the first page
   * @param limit       at most this many
   */
  Future<EventPage> listEvents(EventStatus status, String triggerName, EventPage.Position after, int limit);
}
