package io.tycostream.triggers.source;

/**
 * How a source failure is handled, classified by SQLSTATE first and message text second
 * (materialize-subscribe.md §5).
 */
public enum FailureKind {
  /** Network drop, server restart, idle timeout, 08xxx/57P0x or no SQLSTATE: reconnect and resume. */
  TRANSIENT,
  /** The server dropped us for reading too slowly (53200): resume. */
  FELL_BEHIND,
  /** AS OF is older than the retained history: the consumer must re-snapshot and reconcile. */
  HISTORY_LOST,
  /** The subscribed object or its cluster was dropped: report and retry slowly. */
  OBJECT_DROPPED,
  /** The statement was cancelled (57014), expected on shutdown. */
  CANCELED,
  /** The view's key is not unique: a {@code key_violation} row arrived. */
  KEY_VIOLATION,
  /** Anything else: report and retry slowly. */
  FATAL
}
