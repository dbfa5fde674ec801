package io.tycostream.triggers.store;

/**
 * Whether a trigger's matched-key state is established.
 */
public enum TriggerStatus {
  /** Created, but no snapshot has been evaluated yet: its state is empty and not yet meaningful. */
  AWAITING_BASELINE("awaiting_baseline"),
  /** Its state reflects the source as of its baseline frontier and every commit since. */
  ACTIVE("active");

  private final String dbValue;

  TriggerStatus(String dbValue) {
    this.dbValue = dbValue;
  }

  /** The value stored in the {@code triggers.status} column. */
  public String dbValue() {
    return dbValue;
  }

  public static TriggerStatus fromDbValue(String value) {
    for (TriggerStatus status : values()) {
      if (status.dbValue.equals(value)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown trigger status: " + value);
  }
}
