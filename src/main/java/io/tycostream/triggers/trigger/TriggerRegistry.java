package io.tycostream.triggers.trigger;

import io.tycostream.triggers.definition.TriggerDefinition;
import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.definition.DeliverIf;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredTrigger;
import io.tycostream.triggers.store.TriggerStatus;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The triggers of one source unit, kept in step with the store: {@link #refresh(String)} re-reads one trigger when
 * the admin API announces a change ({@code triggers.changed}), {@link #refreshAll()} is the slow safety poll that
 * catches a lost announcement. A stored trigger is either awaiting its baseline (handed to the {@link Listener},
 * which baselines it), active and waiting to be {@link #load loaded} (its state read and its conditions compiled
 * against the source's schema), or active in memory.
 * <p>
 * Store reads may complete out of order; a read is applied to a trigger only if no later read of it was applied
 * first, so a slow poll never resurrects a trigger deleted meanwhile.
 * <p>
 * A trigger whose {@code expires_at} has passed (wall clock) is held as expired, like a disabled one: not evaluated,
 * not baselined, its state kept, until it changes (a {@code PATCH} with a later expiry revives it with a reconcile).
 * {@link #live()} moves the triggers that expired since the last call out first, so a group evaluated after the
 * expiry (and committed within milliseconds of it) no longer sees them. Confined to the evaluator's context.
 */
final class TriggerRegistry {

  /** What the registry tells the baseliner. */
  interface Listener {

    /** A trigger awaits its baseline (new, or seen again after its incarnation changed). */
    void awaiting(PendingTrigger trigger);

    /** A trigger is gone from the unit (deleted, replaced by a new incarnation, or no longer readable). */
    void removed(String name);
  }

  /**
   * A stored trigger not active in memory yet.
   *
   * @param baselineFrontier for an active trigger being loaded, the frontier it applies from; {@code null} while it
   *                         awaits its baseline
   * @param reconcile        whether it awaits a reconcile of its committed state against a fresh snapshot (changed
   *                         conditions, enabled again) rather than its first baseline
   */
  record PendingTrigger(TriggerIdentity identity, TriggerDefinition definition, BigInteger baselineFrontier,
                        boolean reconcile) {

    PendingTrigger(TriggerIdentity identity, TriggerDefinition definition, BigInteger baselineFrontier) {
      this(identity, definition, baselineFrontier, false);
    }

    String name() {
      return identity.name();
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(TriggerRegistry.class);

  private final String source;
  private final Store store;
  private final Slices slices;
  private final Map<String, ActiveTrigger> active = new LinkedHashMap<>();
  /** {@link #active} as {@link #live()} hands it out; {@code null} after it changed. */
  private LiveTriggerSet liveSet;
  private final Map<String, PendingTrigger> awaiting = new LinkedHashMap<>();
  private final Map<String, PendingTrigger> toLoad = new LinkedHashMap<>();
  /** Incarnations that cannot be evaluated: reported once, retried when the schema changes or they change. */
  private final Map<String, TriggerIdentity> unusable = new HashMap<>();
  /** Triggers turned off through the API: neither evaluated nor baselined until they change again. */
  private final Map<String, TriggerIdentity> disabled = new HashMap<>();
  /** Triggers past their {@code expires_at}: neither evaluated nor baselined until they change again. */
  private final Map<String, TriggerIdentity> expired = new HashMap<>();
  /** Expired triggers whose expiry is still to be written to the audit log ({@link TriggerExpiry}). */
  private final Map<String, TriggerIdentity> expiriesToRecord = new LinkedHashMap<>();
  /** The earliest {@code expires_at} of a trigger held for evaluation (a bound: may be earlier than any left). */
  private long nextExpiryMs = Long.MAX_VALUE;
  private final Clock clock;
  private final Map<String, Long> lastAppliedRead = new HashMap<>();
  private Listener listener = new Listener() {
    @Override
    public void awaiting(PendingTrigger trigger) {
    }

    @Override
    public void removed(String name) {
    }
  };
  private long reads;

  private DeliverIfGates deliverIfGates;

  TriggerRegistry(String source, Store store, Slices slices) {
    this(source, store, slices, Clock.systemUTC());
  }

  /** @param clock the wall clock expiries are read against */
  TriggerRegistry(String source, Store store, Slices slices, Clock clock) {
    this.source = source;
    this.store = store;
    this.slices = slices;
    this.clock = clock;
  }

  void listener(Listener listener) {
    this.listener = listener;
  }

  /** Wires the evaluator's {@code deliver_if} gates (#11); without them no deliver_if ever holds. */
  void deliverIf(DeliverIfGates gates) {
    this.deliverIfGates = gates;
  }

  /** Completes once the other-source rows the {@code deliver_if} of {@code triggers} name are known. */
  Future<Void> deliverIfReady(Collection<ActiveTrigger> triggers) {
    return deliverIfGates == null ? Future.succeededFuture() : deliverIfGates.ready(triggers);
  }

  /** Whether a {@code deliver_if} holds now (see {@link DeliverIfGates#holds}). */
  boolean deliverIfHolds(DeliverIf gate) {
    return deliverIfGates != null && deliverIfGates.holds(gate);
  }

  /**
   * The triggers active in memory, in a stable order, with the index of their key equalities; those whose expiry has
   * passed are moved out first. The same set until a trigger comes or goes or an indexed one loses its equality
   * ({@link #keyEqualityLost}).
   */
  LiveTriggerSet live() {
    expireDue(clock.instant());
    if (liveSet == null) {
      liveSet = LiveTriggerSet.of(active.values());
    }
    return liveSet;
  }

  /**
   * An active trigger came to hold a matched key outside its key equality (a state from another definition), so it
   * must be tested on every change: the next {@link #live()} builds the set again. Checked where committed deltas are
   * applied ({@link GroupCommit#applyTo}); a trigger's state changes nowhere else once it is active.
   */
  void keyEqualityLost(ActiveTrigger trigger) {
    LOG.debug("trigger no longer indexed by its key [source: {}, trigger: {}]", source, trigger.name());
    liveSet = null;
  }

  /**
   * Moves the triggers held for evaluation whose {@code expires_at} is not after {@code now} to the expired ones.
   * Cheap until the earliest expiry comes.
   */
  void expireDue(Instant now) {
    if (now.toEpochMilli() < nextExpiryMs) {
      return;
    }
    nextExpiryMs = Long.MAX_VALUE;
    for (ActiveTrigger trigger : List.copyOf(active.values())) {
      if (trigger.definition().isExpiredAt(now)) {
        active.remove(trigger.name());
        liveSet = null;
        markExpired(trigger.identity(), trigger.definition());
      } else {
        watchExpiry(trigger.definition());
      }
    }
    for (PendingTrigger pending : List.copyOf(toLoad.values())) {
      if (pending.definition().isExpiredAt(now)) {
        toLoad.remove(pending.name());
        markExpired(pending.identity(), pending.definition());
      } else {
        watchExpiry(pending.definition());
      }
    }
    awaiting.values().forEach(pending -> watchExpiry(pending.definition()));
  }

  /** Expired triggers whose expiry is not in the audit log yet, oldest first. */
  List<TriggerIdentity> expiriesToRecord() {
    return List.copyOf(expiriesToRecord.values());
  }

  /** The expiry of {@code identity} is in the audit log (or being written): not handed out again. */
  void expiryRecorded(TriggerIdentity identity) {
    expiriesToRecord.remove(identity.name(), identity);
  }

  /** Hands out an expiry again after its write failed, unless the trigger changed meanwhile. */
  void expiryNotRecorded(TriggerIdentity identity) {
    if (identity.equals(expired.get(identity.name()))) {
      expiriesToRecord.putIfAbsent(identity.name(), identity);
    }
  }

  private void markExpired(TriggerIdentity identity, TriggerDefinition definition) {
    expired.put(identity.name(), identity);
    expiriesToRecord.put(identity.name(), identity);
    LOG.info("trigger expired: not evaluated until its expiry is moved [source: {}, trigger: {}, expires_at: {}]",
        source, identity.name(), definition.expiresAt());
  }

  private void watchExpiry(TriggerDefinition definition) {
    if (definition.expiresAt() != null) {
      nextExpiryMs = Math.min(nextExpiryMs, definition.expiresAt().toEpochMilli());
    }
  }

  /** The triggers awaiting their baseline. */
  Collection<PendingTrigger> awaiting() {
    return List.copyOf(awaiting.values());
  }

  boolean isAwaiting(TriggerIdentity identity) {
    PendingTrigger pending = awaiting.get(identity.name());
    return pending != null && pending.identity().equals(identity);
  }

  /** Whether active triggers wait to be loaded before the next evaluation. */
  boolean needsLoading() {
    return !toLoad.isEmpty();
  }

  /** Re-reads one trigger from the store. */
  Future<Void> refresh(String name) {
    long read = ++reads;
    return store.getTrigger(name).map(found -> {
      applyRead(read, name, found);
      return null;
    });
  }

  /** Re-reads every trigger of the source (the safety poll; also the first read at start-up). */
  Future<Void> refreshAll() {
    long read = ++reads;
    return store.listTriggersOf(source).map(stored -> {
      Set<String> names = new HashSet<>();
      for (StoredTrigger trigger : stored) {
        names.add(trigger.name());
        applyRead(read, trigger.name(), Optional.of(trigger));
      }
      Set<String> held = new HashSet<>(active.keySet());
      held.addAll(awaiting.keySet());
      held.addAll(toLoad.keySet());
      held.addAll(unusable.keySet());
      held.addAll(disabled.keySet());
      held.addAll(expired.keySet());
      held.removeAll(names);
      held.forEach(name -> applyRead(read, name, Optional.empty()));
      return null;
    });
  }

  /**
   * The source's schema changed: every active trigger is compiled again (its state re-read from the store) and the
   * unusable ones get another chance. Call between commits.
   */
  void schemaChanged() {
    active.values().forEach(trigger -> toLoad.put(trigger.name(), new PendingTrigger(trigger.identity(),
        trigger.definition(), trigger.appliesFrom())));
    active.clear();
    liveSet = null;
    unusable.clear();
  }

  /**
   * Loads the active triggers waiting to be loaded: reads each one's state and compiles it against {@code schema},
   * decoding the state in {@link Slices}. A trigger that does not fit the schema is reported and skipped until the
   * schema changes. Call between commits, so the state read is the committed one.
   */
  Future<Void> load(SourceSchema schema) {
    Future<Void> chain = Future.succeededFuture();
    for (PendingTrigger pending : List.copyOf(toLoad.values())) {
      chain = chain.compose(v -> loadOne(pending, schema));
    }
    return chain;
  }

  private Future<Void> loadOne(PendingTrigger pending, SourceSchema schema) {
    ActiveTrigger trigger;
    try {
      trigger = ActiveTrigger.compile(pending.identity(), pending.definition(), schema, pending.baselineFrontier());
    } catch (RuntimeException e) {
      toLoad.remove(pending.name());
      markUnusable(pending.identity(), "cannot be evaluated against the source schema", e);
      return Future.succeededFuture();
    }
    return store.loadMatchedState(pending.name())
        .compose(stored -> slices.<Map.Entry<String, String>>forEach(stored.entrySet(),
            entry -> trigger.restore(entry.getKey(), entry.getValue())))
        .compose(v -> KeyGates.load(store, pending.name()))
        .map(gates -> {
          gates.forEach(trigger::restoreGate);
          PendingTrigger current = toLoad.get(pending.name());
          if (current != null && current.identity().equals(pending.identity())) {
            toLoad.remove(pending.name());
            active.put(trigger.name(), trigger);
            liveSet = null;
            watchExpiry(trigger.definition());
            LOG.info("trigger evaluating [source: {}, trigger: {}, matched keys: {}]", source, trigger.name(),
                trigger.matchedCount());
          }
          return null;
        });
  }

  /** A trigger finished its baseline: it is active from now on (unless it was deleted meanwhile). */
  void activated(ActiveTrigger trigger) {
    if (isAwaiting(trigger.identity())) {
      awaiting.remove(trigger.name());
      active.put(trigger.name(), trigger);
      liveSet = null;
      watchExpiry(trigger.definition());
    }
  }

  /** A trigger cannot be evaluated (bad conditions for the schema): reported once, skipped until it changes. */
  void markUnusable(TriggerIdentity identity, String problem, Throwable cause) {
    awaiting.remove(identity.name());
    if (!identity.equals(unusable.put(identity.name(), identity))) {
      LOG.error("trigger {}, skipped until it or the source schema changes [source: {}, trigger: {}, cause: {}]",
          problem, source, identity.name(), cause.getMessage());
    }
  }

  private void applyRead(long read, String name, Optional<StoredTrigger> found) {
    Long applied = lastAppliedRead.get(name);
    if (applied != null && applied > read) {
      return;
    }
    lastAppliedRead.put(name, read);
    if (found.isEmpty()) {
      drop(name);
      return;
    }
    StoredTrigger stored = found.get();
    TriggerIdentity identity = TriggerIdentity.of(stored);
    TriggerIdentity held = heldIdentity(name);
    if (identity.equals(held) || identity.equals(unusable.get(name)) || identity.equals(disabled.get(name))
        || identity.equals(expired.get(name))) {
      return;
    }
    if (held != null || unusable.containsKey(name) || disabled.containsKey(name) || expired.containsKey(name)) {
      // changed (its state stays in the store for a reconcile), or deleted and created again under the same name (the
      // store deleted the old incarnation's state with it): either way the version in memory is gone
      drop(name);
    }
    if (!stored.enabled()) {
      disabled.put(name, identity);
      LOG.info("trigger disabled: not evaluated until enabled again [source: {}, trigger: {}]", source, name);
      return;
    }
    TriggerDefinition definition;
    try {
      definition = TriggerDefinitionParser.parse(stored.definitionJson());
    } catch (RuntimeException e) {
      markUnusable(identity, "definition cannot be read", e);
      return;
    }
    if (definition.isExpiredAt(clock.instant())) {
      markExpired(identity, definition);
      return;
    }
    watchExpiry(definition);
    boolean reconcile = stored.status() == TriggerStatus.ACTIVE && stored.reconcilePending();
    PendingTrigger pending = new PendingTrigger(identity, definition,
        stored.status() == TriggerStatus.ACTIVE ? stored.baselineFrontier() : null, reconcile);
    if (stored.status() == TriggerStatus.AWAITING_BASELINE || reconcile) {
      awaiting.put(name, pending);
      listener.awaiting(pending);
    } else {
      toLoad.put(name, pending);
    }
  }

  private TriggerIdentity heldIdentity(String name) {
    ActiveTrigger running = active.get(name);
    if (running != null) {
      return running.identity();
    }
    PendingTrigger pending = awaiting.containsKey(name) ? awaiting.get(name) : toLoad.get(name);
    return pending == null ? null : pending.identity();
  }

  private void drop(String name) {
    boolean wasActive = active.remove(name) != null;
    liveSet = null;
    boolean wasAwaiting = awaiting.remove(name) != null;
    toLoad.remove(name);
    unusable.remove(name);
    disabled.remove(name);
    expired.remove(name);
    expiriesToRecord.remove(name);
    if (wasActive || wasAwaiting) {
      LOG.info("trigger removed from evaluation [source: {}, trigger: {}]", source, name);
    }
    if (wasAwaiting) {
      listener.removed(name);
    }
  }

  /** Names of the triggers in each state, for the summary log and status. */
  Map<String, Integer> counts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("active", active.size());
    counts.put("awaiting_baseline", awaiting.size());
    counts.put("loading", toLoad.size());
    counts.put("unusable", unusable.size());
    counts.put("disabled", disabled.size());
    counts.put("expired", expired.size());
    return counts;
  }
}
