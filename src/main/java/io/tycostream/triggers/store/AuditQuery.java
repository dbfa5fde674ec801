package io.tycostream.triggers.store;

/**
 * A page of the audit log, newest first; every filter is optional ({@code null}) and exact. Immutable.
 *
 * @param target   only changes of this target
 * @param actor    only changes by this actor
 * @param action   only this action
 * @param beforeId only entries older than this id (the last id of the previous page), {@code null} for the first
 * @param limit    at most this many
 */
public record AuditQuery(String target, String actor, String action, Long beforeId, int limit) {

  public AuditQuery {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
  }
}
