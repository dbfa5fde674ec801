package io.tycostream.triggers.source;

/** The life cycle of a {@link ChangeSource}. */
public enum SourceState {
  /** Started, first connection not yet established. */
  STARTING,
  /** Subscribed and streaming. */
  CONNECTED,
  /** Lost its subscription and waiting to reconnect (see {@link SourceStatus#lastFailure()}). */
  RETRYING,
  /** Stopped on request. */
  STOPPED;

  /** Whether a source in this state counts as healthy for readiness: connected or retrying. */
  public boolean isLive() {
    return this == CONNECTED || this == RETRYING;
  }
}
