package io.tycostream.triggers.store;

import io.vertx.core.Future;

/**
 * The audit log: who changed what through the admin API or the configuration. Kept as long as delivered events
 * ({@link #prune}). Threading and failures as {@link Store}.
 */
public interface AuditStore {

  /** Appends an entry stamped with the store's clock; completes once it is durable. */
  Future<Void> record(NewAuditEntry entry);

  /** One page, newest first (keyset paging on the id); only the page is read. */
  Future<AuditPage> list(AuditQuery query);

  /**
   * Deletes up to {@code limit} entries recorded before {@code olderThanMs}, oldest first. Call repeatedly until it
   * returns less than {@code limit}.
   *
   * @return how many entries were deleted
   */
  Future<Integer> prune(long olderThanMs, int limit);
}
