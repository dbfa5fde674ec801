package io.tycostream.triggers.store;

import io.vertx.core.Future;
import java.util.List;

/**
 * The outbox of operational alerts (source outages, gaps, dead letters) for the configured alert endpoints, kept
 * apart from trigger events so alerts never show up in a trigger's history, counters or dead letters.
 * <p>
 * Delivery semantics: an alert is durable once {@link #insert} completes, before anything is sent. A sender
 * {@link #claim claims} a due alert by moving it a lease into the future; if the sender dies, the alert is due again
 * when the lease ends, so an alert is sent at least once, always with the same event id. The same alert raised twice
 * (same endpoint and event id) is stored once.
 * <p>
 * Threading: as {@link Store}; every method may be called from any thread and returns a {@link Future}.
 */
public interface AlertOutbox {

  /** Stores alerts that are not stored yet (same endpoint and event id); completes once they are durable. */
  Future<Void> insert(List<NewAlert> alerts);

  /** Up to {@code limit} pending alerts due at {@code nowMs}, oldest first. Not claimed: see {@link #claim}. */
  Future<List<StoredAlert>> due(long nowMs, int limit);

  /** Leases a due alert until {@code leaseUntilMs}; {@code false} if another claimer was first or it is done. */
  Future<Boolean> claim(StoredAlert alert, long nowMs, long leaseUntilMs);

  /** Records the {@code 2xx} of a claimed alert. */
  Future<Void> delivered(StoredAlert alert, long atMs);

  /** Records a failed attempt; the alert is due again at {@code nextAttemptAtMs}. */
  Future<Void> retry(StoredAlert alert, long nextAttemptAtMs, String error);

  /** Records a failed attempt after which the retry policy allows no other. */
  Future<Void> dead(StoredAlert alert, String error);

  /** Up to {@code limit} alerts of one endpoint, in any status, oldest first. */
  Future<List<StoredAlert>> list(String alertName, int limit);

  /** Deletes up to {@code limit} delivered or dead alerts created before {@code olderThanMs}; the number deleted. */
  Future<Integer> prune(long olderThanMs, int limit);
}
