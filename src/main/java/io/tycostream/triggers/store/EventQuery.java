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
 * @param after       the last event of the previous page, {@link EventPosition#NEWEST} for the first page
 * @param limit       at most this many events
 */
public record EventQuery(String triggerName, EventStatus status, String eventType, String keyJson, Instant from,
                         Instant to, EventPosition after, int limit) {

  public EventQuery {
    Objects.requireNonNull(triggerName, "triggerName");
    Objects.requireNonNull(after, "after");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
  }

  /** The newest {@code limit} events of a trigger, unfiltered. */
  public static EventQuery newest(String triggerName, int limit) {
    return new EventQuery(triggerName, null, null, null, null, null, EventPosition.NEWEST, limit);
  }

  /** Where the page ends at the newest: below both the cursor and {@code to}. */
  public EventPosition upperBound() {
    EventPosition end = to == null ? EventPosition.NEWEST : new EventPosition(to.toEpochMilli(), Long.MIN_VALUE);
    return end.isNewerThan(after) ? after : end;
  }
}
