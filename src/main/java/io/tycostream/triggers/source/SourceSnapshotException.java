package io.tycostream.triggers.source;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;

import java.util.Objects;

/**
 * A {@link ChangeSource#snapshotAt snapshot} could not be taken. {@link #kind()} says why, with the reader's
 * classification: {@link FailureKind#HISTORY_LOST} when the frontier is older than the source still retains (take a
 * snapshot at a newer frontier instead), {@link FailureKind#KEY_VIOLATION} when the view's key is not unique,
 * {@link FailureKind#TRANSIENT} when the source was unreachable or slow (retrying may help).
 */
public final class SourceSnapshotException extends ServiceException {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final FailureKind kind;
  private final String sqlState;

  public SourceSnapshotException(String source, FailureKind kind, String sqlState, String message, Throwable cause) {
    super(errorCode(kind), message, null, cause);
    this.source = Objects.requireNonNull(source, "source");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.sqlState = sqlState;
  }

  public SourceSnapshotException(String source, FailureKind kind, String message) {
    this(source, kind, null, message, null);
  }

  /** The service-wide code of a snapshot that failed this way. */
  static ErrorCode errorCode(FailureKind kind) {
    return switch (Objects.requireNonNull(kind, "kind")) {
      case HISTORY_LOST -> ErrorCode.HISTORY_LOST;
      case KEY_VIOLATION -> ErrorCode.KEY_VIOLATION;
      case OBJECT_DROPPED -> ErrorCode.OBJECT_DROPPED;
      case TRANSIENT, FELL_BEHIND, CANCELED -> ErrorCode.UNAVAILABLE;
      case FATAL -> ErrorCode.INTERNAL;
    };
  }

  /** The failure kind a service error code stands for: the inverse of {@link #errorCode}, as far as it goes. */
  static FailureKind kindOf(ErrorCode code) {
    return switch (code) {
      case HISTORY_LOST -> FailureKind.HISTORY_LOST;
      case KEY_VIOLATION -> FailureKind.KEY_VIOLATION;
      case OBJECT_DROPPED -> FailureKind.OBJECT_DROPPED;
      case UNAVAILABLE -> FailureKind.TRANSIENT;
      default -> FailureKind.FATAL;
    };
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
