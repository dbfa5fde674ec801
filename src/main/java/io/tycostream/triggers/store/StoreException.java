package io.tycostream.triggers.store;

import java.util.Objects;

/**
 * The one failure type of the store: every database error (SQLSTATE, SQLite result code, pool failure) is
 * translated into this inside the store, so callers switch on {@link #code()} and never on driver exceptions.
 */
public final class StoreException extends RuntimeException {

  private final StoreErrorCode code;

  public StoreException(StoreErrorCode code, String message) {
    this(code, message, null);
  }

  public StoreException(StoreErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  public StoreErrorCode code() {
    return code;
  }

  @Override
  public String toString() {
    return "StoreException[" + code + "]: " + getMessage();
  }
}
