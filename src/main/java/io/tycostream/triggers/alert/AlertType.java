package io.tycostream.triggers.alert;

/** The operational events sent to alert endpoints, as {@code event_type} of their payload. */
public enum AlertType {
  /** A source was not connected for longer than the endpoint's grace period; once per outage. */
  SOURCE_DISCONNECTED,
  /** A source that was reported disconnected is connected again. */
  SOURCE_RECONNECTED,
  /** A source's history was lost (compacted past its checkpoint); every trigger was reconciled from a snapshot. */
  SOURCE_GAP,
  /** A trigger event spent its retry policy and is in the dead-letter queue. */
  EVENT_DEAD_LETTERED,
  /**
   * The circuit of a trigger's endpoint opened after consecutive failures: its events wait or dead-letter; once per
   * opening.
   */
  TRIGGER_FAILING,
  /** The view gave several rows for one key: its key columns do not identify a row; once per violation. */
  SOURCE_KEY_VIOLATION
}
