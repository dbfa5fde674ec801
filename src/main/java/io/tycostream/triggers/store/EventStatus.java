package io.tycostream.triggers.store;

/**
 * Where an outbox event is in its life: waiting for (re)delivery, delivered (a 2xx was recorded), dead-lettered
 * after its retry policy was spent, or suppressed (recorded for a trigger in debug mode, never sent; history like a
 * delivered event).
 */
public enum EventStatus {
  PENDING("pending"),
  DELIVERED("delivered"),
  DEAD("dead"),
  SUPPRESSED("suppressed");

  private final String dbValue;

  EventStatus(String dbValue) {
    this.dbValue = dbValue;
  }

  /** The value stored in the {@code events.status} column. */
  public String dbValue() {
    return dbValue;
  }

  public static EventStatus fromDbValue(String value) {
    for (EventStatus status : values()) {
      if (status.dbValue.equals(value)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown event status: " + value);
  }
}
