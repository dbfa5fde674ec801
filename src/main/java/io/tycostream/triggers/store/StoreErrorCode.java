package io.tycostream.triggers.store;

/**
 * Why a store operation failed, with the HTTP status the admin boundary maps it to.
 */
public enum StoreErrorCode {
  /** A row with the same identity already exists (unique or primary key violation). */
  DUPLICATE(409, false),
  /** The addressed row does not exist. */
  NOT_FOUND(404, false),
  /** The write contradicts stored state, e.g. a checkpoint frontier lower than the stored one. */
  CONFLICT(409, false),
  /** Any other integrity violation (check, not-null, foreign key). */
  CONSTRAINT(400, false),
  /** The database cannot serve now (busy, locked, I/O error, disk full, pool closed); retrying may succeed. */
  UNAVAILABLE(503, true),
  /** The schema in the database is not one this build understands. */
  SCHEMA_MISMATCH(500, false),
  /** Anything else: a bug or a corrupt database. */
  INTERNAL(500, false);

  private final int httpStatus;
  private final boolean retryable;

  StoreErrorCode(int httpStatus, boolean retryable) {
    this.httpStatus = httpStatus;
    this.retryable = retryable;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** Whether the same call may succeed if repeated later without changes. */
  public boolean retryable() {
    return retryable;
  }
}
