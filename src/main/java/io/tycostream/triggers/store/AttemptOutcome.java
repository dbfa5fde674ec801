package io.tycostream.triggers.store;

/**
 * What one delivery attempt led to.
 */
public enum AttemptOutcome {
  /** A 2xx was received; the event is delivered. */
  DELIVERED("delivered"),
  /** The attempt failed and the event is scheduled again. */
  RETRY("retry"),
  /** The attempt failed and the event moved to the dead-letter queue. */
  DEAD("dead");

  private final String dbValue;

  AttemptOutcome(String dbValue) {
    this.dbValue = dbValue;
  }

  /** The value stored in the {@code delivery_attempts.outcome} column. */
  public String dbValue() {
    return dbValue;
  }

  public static AttemptOutcome fromDbValue(String value) {
    for (AttemptOutcome outcome : values()) {
      if (outcome.dbValue.equals(value)) {
        return outcome;
      }
    }
    throw new IllegalArgumentException("unknown attempt outcome: " + value);
  }
}
