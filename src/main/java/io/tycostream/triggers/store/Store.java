package io.tycostream.triggers.store;

import io.vertx.core.Future;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable state of the service: triggers, their matched-key state, source checkpoints, the event outbox and the
 * delivery history (design.md §3–4).
 * <p>
 * <b>Threading.</b> Every method may be called from any thread, including an event loop: the database work runs on
 * the implementation's worker threads and the returned future completes on the caller's Vert.x context (on a Vert.x
 * thread when called from outside one). No method blocks. Writes are serialized by the implementation; reads run
 * concurrently with writes and see every write whose future has completed.
 * <p>
 * <b>Failures.</b> Futures fail with {@link StoreException} only; its {@link StoreErrorCode} says why.
 * <p>
 * <b>Delivery semantics.</b> The outbox is at-least-once: {@link #claimDue} leases events, and an event whose
 * lease runs out (or is released by {@link #releaseClaimsNotOf} after a restart) before an outcome is recorded
 * becomes due again, so a crash mid-delivery re-sends it with the same event id.
 */
public interface Store {

  /**
   * Creates or upgrades the schema and checks the stored secrets against the master keys: seals secrets still stored
   * as plaintext (databases older than sealing) and fails with {@link StoreErrorCode#UNREADABLE_SECRET}, naming the
   * trigger and key id, when a secret cannot be decrypted. Safe to call on every start.
   */
  Future<Void> migrate();

  /** Releases the connections. Calls after this fail with {@link StoreErrorCode#UNAVAILABLE}. */
  Future<Void> close();

  /** The admin API keys, in the same database. */
  ApiKeyStore apiKeys();

  /** Replay of dead-lettered events and the operators' view of events across triggers, in the same database. */
  OutboxAdmin outboxAdmin();

  /** Paged event history, trigger activity and matched keys, for the admin API. */
  HistoryStore history();

  /** The audit log of changes made through the admin API or the configuration. */
  AuditStore audit();

  /** Dead reasons of events and the audit of trigger expiries (#11 items 1 and 7), in the same database. */
  ExpiryStore expiry();

  /** The outbox of operational alerts for the configured alert endpoints, in the same database. */
  AlertOutbox alerts();

  /** Batch membership of events of batched triggers, in the same database. */
  BatchOutbox batches();

  /** What the triggers' delivery gates (cooldown, deliver_if) remember per key, in the same database. */
  KeyGateStore gates();

  // --- triggers -------------------------------------------------------------------------------------------------

  /**
   * Stores a new trigger in status {@link TriggerStatus#AWAITING_BASELINE}, without limits.
   * Fails with {@link StoreErrorCode#DUPLICATE} when the name is taken.
   */
  default Future<StoredTrigger> createTrigger(NewTrigger trigger) {
    return createTrigger(trigger, TriggerLimits.NONE);
  }

  /**
   * Stores a new trigger in status {@link TriggerStatus#AWAITING_BASELINE} unless that would exceed {@code limits}.
   * The triggers are counted in the transaction that inserts, with concurrent creations serialized, so the limits
   * hold exactly. Fails with {@link StoreErrorCode#LIMIT_REACHED} (field {@code null} for the total, {@code source}
   * for the per-source limit) or {@link StoreErrorCode#DUPLICATE} when the name is taken.
   */
  Future<StoredTrigger> createTrigger(NewTrigger trigger, TriggerLimits limits);

  /** All triggers, ordered by name; unbounded, so the admin API reads {@link #listTriggers(String, int, long)}. */
  Future<List<StoredTrigger>> listTriggers();

  /**
   * One page of triggers ordered by name (keyset paging): those named after {@code afterName}, at most
   * {@code limit}, and fewer once their definitions add up to {@code maxDefinitionChars} characters (the trigger that
   * crosses it is the page's last, so a page holds at least one trigger when any follows {@code afterName}). Only
   * the page is read from the database.
   *
   * @param afterName the last name of the previous page, or {@code null} for the first page
   */
  default Future<TriggerPage> listTriggers(String afterName, int limit, long maxDefinitionChars) {
    return listTriggers(TriggerFilter.ALL, afterName, limit, maxDefinitionChars);
  }

  /** As {@link #listTriggers(String, int, long)}, only the triggers {@code filter} selects. */
  Future<TriggerPage> listTriggers(TriggerFilter filter, String afterName, int limit, long maxDefinitionChars);

  /** The triggers watching {@code source}, ordered by name. */
  Future<List<StoredTrigger>> listTriggersOf(String source);

  Future<Optional<StoredTrigger>> getTrigger(String name);

  /**
   * Deletes a trigger with its matched-key state and its <em>pending</em> events, so nothing is sent for a trigger
   * that no longer exists; delivered and dead events stay as history.
   *
   * @return {@code true} if the trigger existed
   */
  Future<Boolean> deleteTrigger(String name);

  /**
   * Changes a trigger through the API: its definition, whether it is enabled, and whether it must be reconciled;
   * raises its version. Fails with {@link StoreErrorCode#NOT_FOUND} when it does not exist and with
   * {@link StoreErrorCode#CONFLICT} when its version is no longer {@code expectedVersion}.
   *
   * @return the trigger as now stored
   */
  Future<StoredTrigger> updateTrigger(TriggerUpdate update);

  /**
   * Replaces a trigger's signing secret. With a {@code previousValidUntil}, the secret it replaces keeps signing
   * next to the new one until then (and any secret an earlier rotation kept is dropped); with {@code null} the
   * replaced secret is gone at once. Secrets are written sealed (see {@code SecretCipher}).
   * Fails with {@link StoreErrorCode#NOT_FOUND} when the trigger does not exist.
   *
   * @param actor who rotates it (recorded as the trigger's {@code updatedBy}), or {@code null}
   * @return the trigger as now stored
   */
  Future<StoredTrigger> rotateSecret(String name, String newSecret, Instant previousValidUntil, String actor);

  /**
   * Re-encrypts every stored secret that is not sealed under the current master key (legacy plaintext, or a
   * previous key), and drops replaced secrets whose overlap has ended. Each row is rewritten only while it still
   * holds what was read, so concurrent rotations win.
   *
   * @return how many triggers were rewritten
   */
  Future<Integer> resealSecrets();

  /**
   * Marks a trigger {@link TriggerStatus#ACTIVE} as of {@code frontier} without touching its state.
   * Fails with {@link StoreErrorCode#NOT_FOUND} when it does not exist.
   */
  Future<Void> markBaselined(String name, BigInteger frontier);

  // --- evaluation state -----------------------------------------------------------------------------------------

  /** The durable frontier of a source, empty if it never committed. */
  Future<Optional<BigInteger>> loadCheckpoint(String source);

  /** A trigger's matched keys (canonical JSON) with their last row JSON. */
  Future<Map<String, String>> loadMatchedState(String triggerName);

  /**
   * Writes, in one short transaction, parts of the starting state of triggers that are still
   * {@link TriggerStatus#AWAITING_BASELINE}: matched keys with their row JSON (replacing a staged row of the same key)
   * and snapshot events, which are not claimed for delivery while their trigger awaits its baseline. A large or
   * shared baseline is staged in several calls, so it never holds the writer for long; nothing is evaluated or
   * delivered for a trigger until a {@link SourceCommit} activates it ({@link TriggerActivation}). Parts of a trigger
   * that no longer exists or is no longer awaiting its baseline are not written.
   *
   * @param frontier the baseline frontier the rows reflect
   */
  Future<Void> stageBaselines(List<StagedBaseline> parts, BigInteger frontier);

  /**
   * Deletes up to {@code limit} staged matched keys, and up to {@code limit} staged events, of the given triggers that
   * are still {@link TriggerStatus#AWAITING_BASELINE} (left by an attempt that did not finish). Call repeatedly until
   * it returns less than {@code limit}.
   *
   * @return how many rows were deleted (the larger of the two counts); 0 for active or unknown triggers
   */
  Future<Integer> clearStagedBaselines(List<String> triggerNames, int limit);

  /**
   * Writes one commit atomically (design.md §3.2): the source checkpoint, the baselines, the new events and the
   * state changes, all or nothing.
   * <ul>
   *   <li>Events whose id is already stored are skipped, so replaying a commit is harmless.</li>
   *   <li>Events, state changes and baselines addressed to a trigger that no longer exists are dropped: a deletion
   *       racing an evaluation must not wedge the source.</li>
   *   <li>Activated triggers become {@link TriggerStatus#ACTIVE} at their own baseline frontier.</li>
   *   <li>The checkpoint only moves forward: a frontier equal to the stored one is accepted (a replay), a lower
   *       one fails the whole commit with {@link StoreErrorCode#CONFLICT} and writes nothing.</li>
   * </ul>
   */
  Future<Void> commit(SourceCommit commit);

  // --- source ownership ------------------------------------------------------------------------------------------

  /**
   * Takes {@code source} for {@code owner}: raises the source's fencing epoch and records the owner, in one write.
   * From then on every {@link #commit} of that source <em>through this store instance</em> checks, in its own
   * transaction, that the epoch is still the one taken here, and fails with {@link StoreErrorCode#FENCED} once another
   * node has taken the source (even a node that was frozen or cut off and never saw the take-over). Take the source
   * before reading its checkpoint: a take-over waits for a commit in progress, so the checkpoint read after it is the
   * previous owner's last.
   *
   * @return the new epoch
   */
  Future<Long> takeSource(String source, String owner);

  /** Forgets this instance's fence of {@code source} (after its unit stopped); the recorded owner stays. */
  void forgetSource(String source);

  /**
   * Gives {@code source} up: records it as released (no owner) if {@code owner} still holds it at {@code epoch}, so
   * another node may take it without waiting for this one to leave; and forgets this instance's fence.
   *
   * @return whether the ownership was still this owner's (and is now released)
   */
  Future<Boolean> releaseSource(String source, String owner, long epoch);

  /** Every source's recorded owner (empty when released) and epoch, by source name. */
  Future<List<SourceOwner>> listSourceOwners();

  // --- outbox ---------------------------------------------------------------------------------------------------

  /**
   * Leases up to {@code limit} due events for {@code claimer}: pending, {@code next_attempt_at <= nowMs}, not leased
   * at {@code nowMs}, not of a trigger awaiting its baseline and not of a trigger in {@code excludedTriggers}. Each is
   * leased until {@code nowMs + leaseMs} and marked as {@code claimer}'s in the same atomic write, so concurrent
   * claimers never receive the same event while its lease lasts.
   * <p>
   * Due events are taken in commit order: by {@code next_attempt_at}, then by {@link StoredEvent#sequence()}. A
   * fresh event is due from its commit, so without retries the events of one trigger come in the order they were
   * committed, whatever the backlog.
   * <p>
   * An event of a trigger whose definition says {@code "ordering": "per_key"} is not claimed while an older event
   * (lower sequence) of the same trigger and key is pending, whether leased, waiting for its retry or not yet claimed:
   * a key's events are claimed one at a time, in commit order, across retries and restarts.
   *
   * @param claimer          the claiming incarnation of the delivery service (see {@link #releaseClaimsNotOf})
   * @param excludedTriggers triggers whose events are left where they are (their endpoint is busy)
   * @return the leased events in that order
   */
  Future<List<StoredEvent>> claimDue(String claimer, long nowMs, int limit, long leaseMs,
                                     Collection<String> excludedTriggers);

  /**
   * Records the outcomes of claimed events in ONE transaction, attempts included, so a crash never leaves an attempt
   * without its transition. An outcome only moves an event that is still pending and (except a {@code 2xx}) still
   * held by the claim it answers; the attempt is stored anyway (when the event still exists), so the history shows
   * every request made. An outcome for an event that no longer exists is ignored. See {@link OutboxOutcome}.
   * <p>
   * Until the returned future succeeds the events stay leased: nothing claims them again before their outcome is
   * durable, and after a crash in between they are sent again (never lost).
   */
  Future<Void> recordOutcomes(List<OutboxOutcome> outcomes);

  /**
   * Ends every lease held by another incarnation than {@code claimer}, keeping each event's place in the order, so a
   * restarted delivery service re-sends at once what its previous life had in flight instead of waiting for the
   * leases to run out. Only correct while one node uses the store (SQLite: one process per data directory); a
   * clustered store must release the claims of departed members only.
   *
   * @return how many leases were ended
   */
  Future<Integer> releaseClaimsNotOf(String claimer);

  /**
   * Ends every lease held by one of {@code claimers}, keeping each event's place in the order: a clustered store's
   * members release the claims of the nodes that left, so their in-flight events are re-sent at once.
   *
   * @return how many leases were ended
   */
  Future<Integer> releaseClaimsOf(Collection<String> claimers);

  /**
   * When the next unleased pending event becomes due (epoch ms; may be in the past), empty when there is none.
   * Events of triggers awaiting their baseline or in {@code excludedTriggers}, and per-key ordered events held behind
   * an older event of their key (see {@link #claimDue}), are not counted; leased events are not
   * counted either (their claimer records their outcome, and an abandoned lease is found by polling).
   */
  Future<Optional<Long>> nextDueAt(long nowMs, Collection<String> excludedTriggers);

  /**
   * Events, newest first.
   *
   * @param triggerName only this trigger's events, or {@code null} for all
   * @param status      only events in this status, or {@code null} for all
   * @param limit       at most this many
   */
  Future<List<StoredEvent>> listEvents(String triggerName, EventStatus status, int limit);

  Future<Optional<StoredEvent>> getEvent(String eventId);

  /** An event's attempts, in attempt order. */
  Future<List<RecordedAttempt>> listAttempts(String eventId);

  Future<Long> countEvents(EventStatus status);

  /**
   * Deletes up to {@code limit} delivered or dead events created before {@code olderThanMs}, with their attempts.
   * Pending events are never pruned. Call repeatedly until it returns less than {@code limit}.
   *
   * @return how many events were deleted
   */
  Future<Integer> pruneHistory(long olderThanMs, int limit);

  /**
   * Sets the {@code mode} field of a trigger's stored definition ({@code "live"} or {@code "debug"}; the caller
   * validates it). Events are written as {@link EventStatus#SUPPRESSED} while the stored mode is {@code "debug"}: the
   * commit reads it in its own transaction, so the change applies from the next commit on, and events already
   * recorded keep their status (suppressed ones are never sent later). Fails with {@link StoreErrorCode#NOT_FOUND}
   * when the trigger does not exist.
   *
   * @param actor who changes it (recorded as the trigger's {@code updatedBy})
   * @return the trigger as now stored
   */
  Future<StoredTrigger> changeTriggerMode(String name, String mode, String actor);
}
