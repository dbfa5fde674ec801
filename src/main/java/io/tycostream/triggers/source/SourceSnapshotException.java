package io.tycostream.triggers.source;

import java.util.Objects;

/**
 * A {@link ChangeSource#snapshotAt snapshot} could not be taken. {@link #kind()} says why, with the reader's
 * classification: {@link FailureKind#HISTORY_LOST} when the frontier is older than the source still retains (take a
 * snapshot at a newer frontier instead), {@link FailureKind#KEY_VIOLATION} when the view's key is not unique,
 * {@link FailureKind#TRANSIENT} when the source was unreachable or slow (retrying may help).
 */
public final class SourceSnapshotException extends RuntimeException {

  private final String source;
  private final FailureKind kind;
  private final String sqlState;

  public SourceSnapshotException(String source, FailureKind kind, String sqlState, String message, Throwable cause) {
    super(message, cause);
    this.source = Objects.requireNonNull(source, "source");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.sqlState = sqlState;
  }

  public SourceSnapshotException(String source, FailureKind kind, String message) {
    this(source, kind, null, message, null);
  }

  /** The configured source name. */
  public String source() {
    return source;
  }

  public FailureKind kind() {
    return kind;
  }

  /** The server's SQLSTATE, or {@code null} when the failure did not come from the server. */
  public String sqlState() {
    return sqlState;
  }
}
