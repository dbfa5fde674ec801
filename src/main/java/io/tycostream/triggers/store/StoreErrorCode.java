package io.tycostream.triggers.store;


import io.tycostream.triggers.error.ErrorCode;

/**
 * Why a store operation failed: the store's own vocabulary (what the SQL boundary translates SQLSTATEs and driver
 * result codes into), each with the service-wide {@link ErrorCode} it stands for.
 */
public enum StoreErrorCode {
  /** A row with the same identity already exists (unique or primary key violation). */
  DUPLICATE(ErrorCode.DUPLICATE_NAME, false),
  /** The addressed row does not exist. */
  NOT_FOUND(ErrorCode.NOT_FOUND, false),
  /** The write contradicts stored state, e.g. a checkpoint frontier lower than the stored one. */
  CONFLICT(ErrorCode.CONFLICT, false),
  /** Another node took the source over (its ownership epoch is newer): this node must stop committing it. */
  FENCED(ErrorCode.CONFLICT, false),
  /** A configured limit (such as the most triggers) would be exceeded; nothing was written. */
  LIMIT_REACHED(ErrorCode.LIMIT_REACHED, false),
  /** Any other integrity violation (check, not-null, foreign key). */
  CONSTRAINT(ErrorCode.CONFLICT, false),
  /** The database cannot serve now (busy, locked, I/O error, disk full, pool closed); retrying may succeed. */
  UNAVAILABLE(ErrorCode.UNAVAILABLE, true),
  /** The schema in the database is not one this build understands. */
  SCHEMA_MISMATCH(ErrorCode.INTERNAL, false),
  /**
   * A stored webhook secret cannot be decrypted: sealed under a master key that is not configured, or its
   * authentication tag fails (a wrong key, a tampered row). Never retried: the configuration must change.
   */
  UNREADABLE_SECRET(ErrorCode.INTERNAL, false),
  /** Anything else: a bug or a corrupt database. */
  INTERNAL(ErrorCode.INTERNAL, false);

  private final ErrorCode errorCode;
  private final boolean retryable;

  StoreErrorCode(ErrorCode errorCode, boolean retryable) {
    this.errorCode = errorCode;
    this.retryable = retryable;
  }

  /** The service-wide code this store failure is reported as. */
  public ErrorCode errorCode() {
    return errorCode;
  }

  /** Whether the same call may succeed if repeated later without changes. */
  public boolean retryable() {
    return retryable;
  }
}
