package io.tycostream.triggers.trigger;

import io.tycostream.triggers.bus.SnapshotRequests;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ResumePosition;
import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.source.SourceSnapshot;
import io.tycostream.triggers.store.SourceCommit;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredTrigger;
import io.tycostream.triggers.store.TriggerStatus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Evaluates every trigger of one source over its batches and commits the outcome (design.md §3.2): for each group of
 * queued batches, ONE store transaction holds the new events, the matched-key state changes and the source
 * checkpoint. A batch's hand-off completes only once that transaction committed, so the source never runs ahead of
 * what is durable; batches that queue up while a commit runs are committed together (group commit).
 * <p>
 * Triggers are (re)loaded from the store between commits. A trigger created while the source runs gets its baseline
 * from a snapshot of the source at the committed frontier, so it is exactly consistent with what the other triggers
 * have seen; a trigger created before the source ever committed takes its baseline from the source's first
 * (snapshot) batch.
 * <p>
 * Confined to the owning verticle's context: every method must be called there, and nothing here blocks.
 */
final class SourceEvaluator {

  /** Pause before retrying a step that failed (store or bus trouble), so a persistent failure cannot spin. */
  static final Duration STEP_RETRY_DELAY = Duration.ofMillis(500);

  private static final Logger LOG = LoggerFactory.getLogger(SourceEvaluator.class);

  private final Vertx vertx;
  private final String source;
  private final Store store;
  private final Runnable onEventsCommitted;
  private final List<Pending> queue = new ArrayList<>();
  private final Map<String, ActiveTrigger> active = new LinkedHashMap<>();
  private final Map<String, TriggerDefinition> awaitingBaseline = new LinkedHashMap<>();
  /** Triggers whose conditions do not fit the current schema: reported once, retried when the schema changes. */
  private final Set<String> unusable = new HashSet<>();
  private final EvaluationStats stats = new EvaluationStats();

  private BigInteger committed;
  private boolean checkpointLoaded;
  private SourceSchema schema;
  /** The step in progress, or {@code null} when idle. */
  private Future<Void> running;
  /** A step failed and its retry is scheduled: no other step starts meanwhile (one retry chain, not one per call). */
  private long retryTimer = -1;
  private boolean triggersDirty = true;
  /** Set when a commit failed: later batches would leave a gap, so they are refused until the source resumes. */
  private boolean refuseUntilResume;

  SourceEvaluator(Vertx vertx, String source, Store store, Runnable onEventsCommitted) {
    this.vertx = vertx;
    this.source = source;
    this.store = store;
    this.onEventsCommitted = onEventsCommitted;
  }

  /** Takes a batch; the future completes once the batch is durably committed (or known to be already). */
  Future<Void> accept(ChangeBatch batch) {
    if (refuseUntilResume) {
      return Future.failedFuture("an earlier commit of source '" + source + "' failed; resume from the checkpoint");
    }
    Promise<Void> promise = Promise.promise();
    queue.add(new Pending(batch, promise));
    drain();
    return promise.future();
  }

  /**
   * Where the source resumes: right after the durable checkpoint, or a snapshot when there is none.
   * <p>
   * A barrier: the source asks only once it has given up every batch it handed over, so batches still queued here
   * are stale and are failed (committing them beside the replay would apply changes twice or out of order), and the
   * checkpoint is read only after the step in progress ended, so it includes a commit that was still running.
   */
  Future<ResumePosition> resumePosition() {
    queue.forEach(pending -> pending.promise().fail("superseded: source '" + source + "' resumes from its checkpoint"));
    queue.clear();
    Future<Void> idle = running == null ? Future.succeededFuture() : running.transform(ar -> Future.succeededFuture());
    return idle.compose(v -> loadCheckpoint());
  }

  private Future<ResumePosition> loadCheckpoint() {
    return store.loadCheckpoint(source).map(checkpoint -> {
      refuseUntilResume = false;
      committed = checkpoint.orElse(null);
      checkpointLoaded = true;
      return checkpoint.map(ResumePosition::after).orElse(ResumePosition.snapshot());
    });
  }

  /** Marks the trigger set stale; it is reloaded from the store before the next commit. */
  void triggersChanged() {
    triggersDirty = true;
    drain();
  }

  EvaluationStats stats() {
    return stats;
  }

  Set<String> activeTriggers() {
    return active.keySet();
  }

  private void drain() {
    if (running != null || retryTimer != -1 || (queue.isEmpty() && !triggersDirty)) {
      return;
    }
    running = step();
    running.onComplete(ar -> {
      running = null;
      if (ar.failed()) {
        // e.g. the store is unavailable: queued batches wait (the source's hand-off times out and it resumes)
        LOG.warn("evaluation step failed, retrying [source: {}, cause: {}]", source, ar.cause().getMessage());
        retryTimer = vertx.setTimer(STEP_RETRY_DELAY.toMillis(), id -> {
          retryTimer = -1;
          drain();
        });
      } else if (!queue.isEmpty()) {
        vertx.runOnContext(v -> drain());
      }
    });
  }

  /** Cancels a scheduled retry (on undeploy). */
  void close() {
    if (retryTimer != -1) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
  }

  private Future<Void> step() {
    Future<Void> ready = checkpointLoaded ? Future.succeededFuture() : loadCheckpoint().mapEmpty();
    return ready
        .compose(v -> {
          adoptSchemaOfNextBatch();
          return triggersDirty && schema != null ? refreshTriggers() : Future.succeededFuture();
        })
        .compose(v -> queue.isEmpty() ? Future.succeededFuture() : commitQueued());
  }

  /** Triggers are compiled against the schema of the batches they evaluate; a new schema recompiles them all. */
  private void adoptSchemaOfNextBatch() {
    if (queue.isEmpty()) {
      return;
    }
    SourceSchema next = queue.get(0).batch().schema();
    if (!next.equals(schema)) {
      if (schema != null) {
        LOG.info("source schema changed, recompiling triggers [source: {}, schema: {}]", source, next);
      }
      schema = next;
      active.clear();
      unusable.clear();
      triggersDirty = true;
    }
  }

  // --- trigger set ------------------------------------------------------------------------------------------------

  private Future<Void> refreshTriggers() {
    triggersDirty = false;
    return store.listTriggers().compose(all -> {
      List<StoredTrigger> mine = all.stream().filter(t -> t.source().equals(source)).toList();
      Set<String> names = mine.stream().map(StoredTrigger::name).collect(Collectors.toSet());
      active.keySet().removeIf(name -> !names.contains(name) && logRemoved(name));
      awaitingBaseline.keySet().removeIf(name -> !names.contains(name));
      unusable.retainAll(names);
      Future<Void> chain = Future.succeededFuture();
      for (StoredTrigger stored : mine) {
        if (unusable.contains(stored.name())) {
          continue;
        }
        if (stored.status() == TriggerStatus.AWAITING_BASELINE) {
          // a trigger deleted and created again under the same name between two rescans: drop the old incarnation
          active.remove(stored.name());
          TriggerDefinition definition = readDefinition(stored);
          if (definition != null) {
            awaitingBaseline.putIfAbsent(stored.name(), definition);
          }
        } else if (!active.containsKey(stored.name())) {
          chain = chain.compose(v -> loadActive(stored));
        }
      }
      return chain.compose(v -> baselineFromSnapshot());
    }).onFailure(failure -> triggersDirty = true);
  }

  private boolean logRemoved(String name) {
    LOG.info("trigger removed from evaluation [source: {}, trigger: {}]", source, name);
    return true;
  }

  /** The stored definition, or {@code null} (reported once) when it can no longer be read. */
  private TriggerDefinition readDefinition(StoredTrigger stored) {
    try {
      return TriggerDefinitionParser.parse(stored.definitionJson());
    } catch (RuntimeException e) {
      unusable.add(stored.name());
      LOG.error("stored trigger definition cannot be read, trigger skipped [source: {}, trigger: {}, cause: {}]",
          source, stored.name(), e.getMessage());
      return null;
    }
  }

  private Future<Void> loadActive(StoredTrigger stored) {
    TriggerDefinition definition = readDefinition(stored);
    if (definition == null) {
      return Future.succeededFuture();
    }
    return store.loadMatchedState(stored.name()).map(state -> {
      try {
        ActiveTrigger trigger = ActiveTrigger.load(definition, schema, state);
        active.put(trigger.name(), trigger);
        LOG.info("trigger evaluating [source: {}, trigger: {}, matched keys: {}]", source, trigger.name(),
            trigger.matchedCount());
      } catch (RuntimeException e) {
        unusable.add(stored.name());
        LOG.error("trigger cannot be evaluated against the source schema, skipped until the schema changes "
            + "[source: {}, trigger: {}, cause: {}]", source, stored.name(), e.getMessage());
      }
      return null;
    });
  }

  /**
   * Baselines the triggers created on a running source: a snapshot at the committed frontier F (exactly the state
   * every other trigger has seen), evaluated without events (or with FIRE events when {@code include_snapshot}),
   * committed at F. Triggers created before the first commit wait for the source's snapshot batch instead.
   */
  private Future<Void> baselineFromSnapshot() {
    if (awaitingBaseline.isEmpty() || committed == null) {
      return Future.succeededFuture();
    }
    BigInteger frontier = committed;
    return SnapshotRequests.request(vertx.eventBus(), source, frontier)
        .compose(snapshot -> commitBaselines(snapshot, frontier))
        .recover(failure -> {
          // retried at the next rescan, against the then-committed frontier
          LOG.warn("baseline snapshot failed, will retry [source: {}, frontier: {}, triggers: {}, cause: {}]",
              source, frontier, awaitingBaseline.keySet(), failure.getMessage());
          triggersDirty = true;
          return Future.succeededFuture();
        });
  }

  private Future<Void> commitBaselines(SourceSnapshot snapshot, BigInteger frontier) {
    SourceCommitBuilder commit = new SourceCommitBuilder(source);
    Map<String, ActiveTrigger> baselined = baselineAll(snapshot.rows(), snapshot.schema(), commit);
    return commit(commit, frontier, baselined, Map.of());
  }

  private Map<String, ActiveTrigger> baselineAll(List<Change> rows, SourceSchema rowsSchema,
                                                 SourceCommitBuilder commit) {
    Map<String, ActiveTrigger> baselined = new LinkedHashMap<>();
    for (TriggerDefinition definition : List.copyOf(awaitingBaseline.values())) {
      try {
        ActiveTrigger trigger = ActiveTrigger.load(definition, rowsSchema, Map.of());
        BatchEvaluation baseline = trigger.machine().baseline(rows, definition.includeSnapshot());
        commit.baseline(definition.name(), baseline);
        trigger.apply(baseline.delta());
        baselined.put(definition.name(), trigger);
      } catch (RuntimeException e) {
        unusable.add(definition.name());
        awaitingBaseline.remove(definition.name());
        LOG.error("trigger cannot be baselined, skipped until the schema changes [source: {}, trigger: {}, "
            + "cause: {}]", source, definition.name(), e.getMessage());
      }
    }
    return baselined;
  }

  // --- batches ----------------------------------------------------------------------------------------------------

  private Future<Void> commitQueued() {
    List<Pending> group = takeGroup();
    BigInteger frontier = group.get(group.size() - 1).batch().frontier();
    if (committed != null && frontier.compareTo(committed) <= 0) {
      // already durable (a batch re-sent after a lost reply, or replayed by a reconnect)
      group.forEach(pending -> pending.promise().complete());
      return Future.succeededFuture();
    }
    List<Change> changes = new ArrayList<>();
    boolean snapshot = false;
    for (Pending pending : group) {
      snapshot |= pending.batch().snapshot();
      for (Change change : pending.batch().changes()) {
        // changes below the checkpoint are already applied: only a replay across a reconnect can carry them
        if (committed == null || change.timestamp().compareTo(committed) >= 0) {
          changes.add(change);
        }
      }
    }
    SourceCommitBuilder commit = new SourceCommitBuilder(source);
    // a snapshot batch is always alone in its group: the source's first, or a re-snapshot after history was lost
    Map<String, ActiveTrigger> baselined = snapshot ? baselineAll(changes, schema, commit) : Map.of();
    boolean reconcile = snapshot && committed != null;
    BigInteger snapshotTimestamp = frontier.subtract(BigInteger.ONE);
    Map<String, StateDelta> deltas = new LinkedHashMap<>();
    for (ActiveTrigger trigger : active.values()) {
      BatchEvaluation evaluation = reconcile
          ? trigger.machine().reconcile(changes, trigger.matched(), snapshotTimestamp)
          : trigger.machine().evaluate(changes, trigger.lookup());
      commit.evaluation(trigger.name(), evaluation);
      deltas.put(trigger.name(), evaluation.delta());
    }
    if (reconcile) {
      LOG.error("source gap: history between the checkpoint and a fresh snapshot was lost; triggers reconciled "
          + "against the snapshot [source: {}, checkpoint: {}, snapshot at: {}, events: {}]", source, committed,
          snapshotTimestamp, commit.eventCount());
    }
    stats.batches += group.size();
    stats.changes += changes.size();
    Future<Void> committing = commit(commit, frontier, baselined, deltas);
    committing.onComplete(ar -> group.forEach(pending -> pending.promise().handle(ar)));
    return committing;
  }

  /**
   * The batches committed together: the queued batches with the current schema, up to the next snapshot batch. A
   * snapshot batch (and, before the first commit, whatever batch comes first) is committed alone: it baselines new
   * triggers or reconciles existing ones, and must not swallow the updates after it.
   */
  private List<Pending> takeGroup() {
    int size = 1;
    if (committed != null && !queue.get(0).batch().snapshot()) {
      while (size < queue.size() && queue.get(size).batch().schema().equals(schema)
          && !queue.get(size).batch().snapshot()) {
        size++;
      }
    }
    List<Pending> group = new ArrayList<>(queue.subList(0, size));
    queue.subList(0, size).clear();
    return group;
  }

  private Future<Void> commit(SourceCommitBuilder builder, BigInteger frontier, Map<String, ActiveTrigger> baselined,
                              Map<String, StateDelta> deltas) {
    SourceCommit commit = builder.build(frontier);
    long started = System.nanoTime();
    return store.commit(commit).onSuccess(v -> {
      committed = frontier;
      deltas.forEach((name, delta) -> {
        ActiveTrigger trigger = active.get(name);
        if (trigger != null) {
          trigger.apply(delta);
        }
      });
      baselined.forEach((name, trigger) -> {
        awaitingBaseline.remove(name);
        active.put(name, trigger);
        LOG.info("trigger baselined [source: {}, trigger: {}, frontier: {}, matched keys: {}]", source, name,
            frontier, trigger.matchedCount());
      });
      stats.commits++;
      stats.events += builder.eventCount();
      stats.frontier = frontier;
      LOG.debug("committed [source: {}, frontier: {}, events: {}, ms: {}]", source, frontier, builder.eventCount(),
          (System.nanoTime() - started) / 1_000_000);
      if (builder.eventCount() > 0) {
        onEventsCommitted.run();
      }
    }).onFailure(failure -> failCommit(failure, frontier));
  }

  private void failCommit(Throwable failure, BigInteger frontier) {
    refuseUntilResume = true;
    queue.forEach(pending -> pending.promise().fail("an earlier commit failed: " + failure.getMessage()));
    queue.clear();
    LOG.error("commit failed, the source will resume from its checkpoint "
        + "[source: {}, frontier: {}, cause: {}]", source, frontier, failure.getMessage());
  }

  private record Pending(ChangeBatch batch, Promise<Void> promise) {
  }

  /** Counters for the periodic summary; confined to the evaluator's context. */
  static final class EvaluationStats {
    long batches;
    long changes;
    long commits;
    long events;
    BigInteger frontier;
  }
}
