package io.tycostream.triggers.emulator;

/**
 * An error the emulator reports to a client as an ErrorResponse. Unchecked so it can cross the statement executor;
 * it never escapes the emulator.
 */
final class PgException extends RuntimeException {

  private final String sqlState;
  private final boolean fatal;

  PgException(String sqlState, String message) {
    this(sqlState, message, false);
  }

  PgException(String sqlState, String message, boolean fatal) {
    super(message, null, false, false);
    this.sqlState = sqlState;
    this.fatal = fatal;
  }

  String sqlState() { return sqlState; }

  boolean fatal() { return fatal; }

  static PgException unsupported(String what) {
    return new PgException("0A000", what + " not supported");
  }
}
