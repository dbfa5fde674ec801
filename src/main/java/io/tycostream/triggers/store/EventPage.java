package io.tycostream.triggers.store;

import java.util.List;
import java.util.Objects;

/**
 * One page of events, newest first ({@link OutboxAdmin#listEvents}). Immutable.
 *
 * @param events the page
 * @param next   where the next page starts, {@code null} when none follows
 */
public record EventPage(List<StoredEvent> events, Position next) {

  public EventPage {
    events = List.copyOf(Objects.requireNonNull(events, "events"));
  }

  /**
   * A place in the newest-first order: an event's creation time and commit position.
   *
   * @param createdAtMs the event's {@code created_at}, epoch ms
   * @param sequence    its commit position ({@link StoredEvent#sequence()})
   */
  public record Position(long createdAtMs, long sequence) {

    public static Position of(StoredEvent event) {
      return new Position(event.createdAt().toEpochMilli(), event.sequence());
    }
  }
}
