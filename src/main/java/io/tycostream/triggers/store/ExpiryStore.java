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
   * Records that a trigger at {@code version} expired: in one transaction, marks that version's expiry as recorded
   * and appends {@code entry} to the audit log, unless it was recorded before (by this node or another). Idempotent.
   *
   * @return whether this call wrote the entry; {@code false} when it was written before, or the trigger is gone or
   *     at another version
   */
  Future<Boolean> recordExpired(String triggerName, long version, NewAuditEntry entry);
}
