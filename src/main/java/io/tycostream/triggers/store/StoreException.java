package io.tycostream.triggers.store;


import io.tycostream.triggers.error.ServiceException;

import java.util.Objects;

/**
 * The one failure type of the store, a {@link ServiceException}: every database error (SQLSTATE, SQLite result code,
 * pool failure) is translated into this inside the store (the SQL boundary), so callers switch on
 * {@link #storeCode()} (or the service-wide {@link #code()}) and never on driver exceptions.
 */
public final class StoreException extends ServiceException {

  private static final long serialVersionUID = 1L;

  private final StoreErrorCode storeCode;

  public StoreException(StoreErrorCode code, String message) {
    this(code, message, null, null);
  }

  public StoreException(StoreErrorCode code, String message, Throwable cause) {
    this(code, message, null, cause);
  }

  /**
   * @param field the request field the failure is about (the {@code name} of a duplicate trigger), or {@code null}
   */
  public StoreException(StoreErrorCode code, String message, String field, Throwable cause) {
    super(Objects.requireNonNull(code, "code").errorCode(), message, field, cause);
    this.storeCode = code;
  }

  /** Why the store failed, in the store's own terms. */
  public StoreErrorCode storeCode() {
    return storeCode;
  }

  @Override
  public String toString() {
    return "StoreException[" + storeCode + "]: " + getMessage();
  }
}
