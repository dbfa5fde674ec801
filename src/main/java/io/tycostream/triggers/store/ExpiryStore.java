package io.tycostream.triggers.store;

import io.vertx.core.Future;

import java.util.Optional;

/**
 * Retry-policy and expiry records (#11 items 1 and 7), in the same database: why a dead event died, and the one audit
 * entry of a trigger's expiry. Threading and failures as {@link Store}.
 */
public interface ExpiryStore {

  /**
   * Why an event was dead-lettered; empty when it is not dead (or unknown). An event dead-lettered before reasons were
   * recorded reads {@link DeadReason#ATTEMPTS_EXHAUSTED}.
   */
  Future<Optional<String>> deadReason(String eventId);

  /**
   * Records that a trigger, read at {@code version}, expired at {@code expiresAt}: in one transaction, marks that
   * expiry as recorded and appends {@code entry} to the audit log, unless that same expiry was recorded before (by
   * this node or another, maybe at an earlier version: a PATCH of another field does not audit it again).
   * Idempotent.
   *
   * @param expiresAt the trigger's {@code expires_at} as stored (its text form)
   * @return whether this call wrote the entry; {@code false} when it was written before, or the trigger is gone or
   *     at another version
   */
  Future<Boolean> recordExpired(String triggerName, long version, String expiresAt, NewAuditEntry entry);
}
