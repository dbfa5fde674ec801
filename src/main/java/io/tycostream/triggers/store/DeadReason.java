package io.tycostream.triggers.store;

/**
 * Why an event was dead-lettered, shown as {@code dead_reason} in the event's JSON.
 */
public enum DeadReason {
  /** Its retry policy allowed no further attempt. */
  ATTEMPTS_EXHAUSTED("attempts_exhausted"),
  /** It was still undelivered past its trigger's {@code retry.max_age}, whatever attempts were left. */
  EXPIRED("expired"),
  /** Its trigger was deleted while it was claimed. */
  TRIGGER_DELETED("trigger_deleted");

  private final String dbValue;

  DeadReason(String dbValue) {
    this.dbValue = dbValue;
  }

  /** The value stored in {@code events.dead_reason} and shown in the API. */
  public String dbValue() {
    return dbValue;
  }
}
