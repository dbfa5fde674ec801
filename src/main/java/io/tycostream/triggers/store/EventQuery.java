package io.tycostream.triggers.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A page of one trigger's event history, newest first ({@link HistoryStore#listEvents}). Every filter is optional
 * ({@code null}). Immutable.
 *
 * @param triggerName the trigger
 * @param status      only events in this status
 * @param eventType   only events of this type ({@code FIRE}, {@code CLEAR})
 * @param keyJson     only events of this key, as stored (canonical JSON array, e.g. {@code ["ACC-7"]})
 * @param from        only events stored at or after this time
 * @param to          only events stored before this time
 * @param after       the last event of the previous page, {@link #FIRST_PAGE} for the first page
 * @param limit       at most this many events
 * @param suppressedReason only suppressed events held back for this reason (#11)
 */
public record EventQuery(String triggerName, EventStatus status, String eventType, String keyJson, Instant from,
                         Instant to, EventPage.Position after, int limit, SuppressedReason suppressedReason) {

  /** Without the suppressed-reason filter. */
  public EventQuery(String triggerName, EventStatus status, String eventType, String keyJson, Instant from,
                    Instant to, EventPage.Position after, int limit) {
    this(triggerName, status, eventType, keyJson, from, to, after, limit, null);
  }

  /** Before every event: where the first page starts in the newest-first order. */
  public static final EventPage.Position FIRST_PAGE = new EventPage.Position(Long.MAX_VALUE, Long.MAX_VALUE);

  public EventQuery {
    Objects.requireNonNull(triggerName, "triggerName");
    Objects.requireNonNull(after, "after");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
  }

  /** The newest {@code limit} events of a trigger, unfiltered. */
  public static EventQuery newest(String triggerName, int limit) {
    return new EventQuery(triggerName, null, null, null, null, null, FIRST_PAGE, limit);
  }

  /** Where the page starts, newest first: below both the previous page and {@code to}. */
  public EventPage.Position upperBound() {
    if (to == null || to.toEpochMilli() > after.createdAtMs()) {
      return after;
    }
    return new EventPage.Position(to.toEpochMilli(), Long.MIN_VALUE);
  }
}
