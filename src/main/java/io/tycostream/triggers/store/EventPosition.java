package io.tycostream.triggers.store;

/**
 * Where an event stands in a trigger's history, newest first: by the time its commit stored it, then by its
 * sequence (commit order). Unique per event, so a page of history can start right after one. Immutable.
 *
 * @param createdAtMs when the commit stored the event (epoch ms)
 * @param sequence    its {@link StoredEvent#sequence()}
 */
public record EventPosition(long createdAtMs, long sequence) {

  /** Before every event: the start of the newest-first order. */
  public static final EventPosition NEWEST = new EventPosition(Long.MAX_VALUE, Long.MAX_VALUE);

  /** The position of a stored event. */
  public static EventPosition of(StoredEvent event) {
    return new EventPosition(event.createdAt().toEpochMilli(), event.sequence());
  }

  /** Whether this position comes before {@code other} in the newest-first order. */
  public boolean isNewerThan(EventPosition other) {
    return createdAtMs != other.createdAtMs ? createdAtMs > other.createdAtMs : sequence > other.sequence;
  }
}
