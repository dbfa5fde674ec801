package io.tycostream.triggers.store;

import java.util.List;

/**
 * One page of event history, newest first. Immutable.
 *
 * @param events the page's events
 * @param next   where the next page starts (the last event's position), {@code null} when no event follows
 */
public record EventPage(List<StoredEvent> events, EventPosition next) {

  public EventPage {
    events = List.copyOf(events);
  }
}
