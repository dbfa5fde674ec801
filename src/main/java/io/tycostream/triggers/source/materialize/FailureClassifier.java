package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.SourceFailure;
import io.vertx.sqlclient.DatabaseException;

import java.time.Instant;
import java.util.Locale;

/**
 * Classifies a SUBSCRIBE failure by SQLSTATE first and message text second (materialize-subscribe.md §4.3, §5).
 * Pure and thread-safe.
 * <p>
 * Both the older Materialize texts (XX000 {@code Timestamp (…) is not valid for all inputs}, XX000 {@code subscribe
 * has been terminated because underlying relation … was dropped}) and the newer SQLSTATEs (22000 {@code could not find
 * a valid timestamp}, 42704 {@code relation … was dropped}) are recognised, because the version in use is unknown.
 */
final class FailureClassifier {

  private FailureClassifier() {
  }

  /** The failure record for {@code cause}, with its SQLSTATE when the server sent one. */
  public static SourceFailure toFailure(Throwable cause, Instant at) {
    String sqlState = sqlState(cause);
    String message = message(cause);
    return new SourceFailure(classify(cause), sqlState, message, at);
  }

  public static FailureKind classify(Throwable cause) {
    if (cause instanceof SubscribeOutputException) {
      return FailureKind.FATAL;
    }
    return classify(sqlState(cause), message(cause));
  }

  /**
   * @param sqlState the SQLSTATE, or {@code null} when the failure did not come from the server (connection drop,
   *                 timeout): such failures are transient
   * @param message  the server's message text
   */
  public static FailureKind classify(String sqlState, String message) {
    if (sqlState == null || sqlState.isBlank()) {
      return FailureKind.TRANSIENT;
    }
    String state = sqlState.toUpperCase(Locale.ROOT);
    String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (state.startsWith("08") || state.startsWith("57P0") || state.equals("25P03")) {
      return FailureKind.TRANSIENT;
    }
    if (state.equals("28000") && text.contains("authentication expired")) {
      // Materialize Cloud ends sessions when their auth token expires: routine, a new login works at once
      return FailureKind.TRANSIENT;
    }
    switch (state) {
      case "53200":
        return FailureKind.FELL_BEHIND;
      case "57014":
        return FailureKind.CANCELED;
      case "42704":
      case "42P01":
        // 42704: a dependency dropped mid-stream (newer versions); 42P01: the view is missing at DECLARE
        return FailureKind.OBJECT_DROPPED;
      default:
        break;
    }
    if (text.contains("could not find a valid timestamp") || text.contains("is not valid for all inputs")) {
      return FailureKind.HISTORY_LOST;
    }
    if (text.contains("has been terminated because underlying") || text.contains("was dropped")) {
      return FailureKind.OBJECT_DROPPED;
    }
    return FailureKind.FATAL;
  }

  /** Whether a failure of this kind is not expected to heal quickly, so retrying waits the slow-retry delay. */
  public static boolean needsSlowRetry(FailureKind kind) {
    // HISTORY_LOST is not here: the reader recovers from it at once with a fresh snapshot (design.md §3.4)
    return kind == FailureKind.OBJECT_DROPPED || kind == FailureKind.FATAL;
  }

  static String sqlState(Throwable cause) {
    return cause instanceof DatabaseException db ? db.getSqlState() : null;
  }

  static String message(Throwable cause) {
    if (cause instanceof io.vertx.pgclient.PgException pg && pg.getErrorMessage() != null) {
      return pg.getErrorMessage();
    }
    String message = cause.getMessage();
    return message != null ? message : cause.getClass().getSimpleName();
  }
}
