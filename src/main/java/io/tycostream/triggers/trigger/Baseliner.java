package io.tycostream.triggers.trigger;

import io.tycostream.triggers.backoff.Backoff;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.source.SourceSnapshot;
import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.store.StagedBaseline;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.trigger.TriggerRegistry.PendingTrigger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Gives triggers created while their source streams their starting state (design.md §3.5) without needing old
 * history, so it works with Materialize's default 1 s retention. Triggers created together share one round:
 * <ol>
 *   <li>note the committed frontier {@code C} and start logging every later commit's changes (the catch-up log);</li>
 *   <li>take ONE fresh snapshot at a time the source chooses, no earlier than {@code C - 1}: its frontier
 *       {@code B >= C} holds every change below {@code B};</li>
 *   <li>evaluate it (in {@link Slices}) into every trigger's matched keys — silently, or with a FIRE each when
 *       {@code include_snapshot} — and stage keys and FIREs in the store in short chunks, neither evaluated nor
 *       delivered until activation;</li>
 *   <li>as one {@link CommitScheduler} step, between two commits: apply the logged changes at times {@code >= B}
 *       (committed meanwhile) to that state, then commit the catch-up's state changes and events and the activation
 *       of every trigger at baseline frontier {@code B} in one small transaction (which also releases the staged
 *       FIREs); from then on the triggers take the main stream's changes at times {@code >= B} (those below the
 *       checkpoint were caught up, those between the checkpoint and {@code B} are in the snapshot and skipped).</li>
 * </ol>
 * So no change is applied twice (those below {@code B} are in the snapshot) and none is missed (those from
 * {@code B} on are logged or still to come). One round runs at a time; triggers that arrive meanwhile wait for the
 * next one, so a thousand triggers created at once cost one snapshot, not a thousand. A failed round is retried
 * after a back-off; a crash leaves the triggers awaiting their baseline, and the next round first clears what was
 * staged. The other triggers of the source and other sources keep committing throughout.
 * <p>
 * A trigger changed through the API (new conditions, or enabled again) takes the same round as a <em>reconcile</em>:
 * its committed state is read between two commits (it evaluates no more changes meanwhile), the snapshot is
 * evaluated against that state with its new conditions (FIRE for rows that now match and were not matched, CLEAR
 * with the last row for matched keys that now clear or are gone, all at {@code B}, design.md §3.4), and state and
 * events are committed with its activation instead of being staged. What happened between the change and {@code B}
 * is summarised by the reconcile, not replayed.
 * <p>
 * Confined to the evaluator's context.
 */
final class Baseliner implements TriggerRegistry.Listener, CommitScheduler.CommitObserver {

  /** Matched keys and FIREs written per staging transaction: about 5 ms of the store's single writer. */
  static final int STAGE_CHUNK = 1_000;
  /**
   * Pause between two staging transactions, so the commits of every source get the store's single writer in between
   * instead of queueing behind a whole baseline.
   */
  static final Duration STAGE_PAUSE = Duration.ofMillis(10);
  /** Leftover staged keys deleted per transaction. */
  static final int CLEAR_CHUNK = 5_000;
  /** Changes the catch-up log may hold before the round restarts with a newer snapshot. */
  static final int MAX_CATCH_UP_CHANGES = 1_000_000;
  /**
   * How long a round waits for more triggers before it asks for its snapshot: triggers created in a burst (a script,
   * a configuration) then share one snapshot. Small next to the time a snapshot of a large view takes.
   */
  static final Duration GATHER = Duration.ofMillis(100);
  /** Waits between the attempts of a round that failed. */
  static final Backoff RETRY = Backoff.of(Duration.ofSeconds(1), 2, Duration.ofSeconds(30), Backoff.Jitter.FULL);

  private static final Logger LOG = LoggerFactory.getLogger(Baseliner.class);

  private final Vertx vertx;
  private final String source;
  private final Store store;
  private final TriggerRegistry registry;
  private final CommitScheduler scheduler;
  private final Slices slices;
  private final Function<BigInteger, Future<SourceSnapshot>> snapshots;
  private final Runnable onEventsCommitted;
  /** Triggers waiting for the next round, by name. */
  private final Map<String, PendingTrigger> waiting = new LinkedHashMap<>();
  /** The round in progress, or {@code null}. */
  private Round round;
  /** Consecutive failed rounds, for the back-off. */
  private int failures;
  /** The timer before the next round (gathering, or the back-off after a failure), or -1. */
  private long retryTimer = -1;
  private boolean stopped;

  /**
   * @param snapshots a fresh snapshot of the source no older than the given frontier (a request to its reader)
   */
  Baseliner(Vertx vertx, String source, Store store, TriggerRegistry registry, CommitScheduler scheduler,
            Slices slices, Function<BigInteger, Future<SourceSnapshot>> snapshots, Runnable onEventsCommitted) {
    this.vertx = vertx;
    this.source = source;
    this.store = store;
    this.registry = registry;
    this.scheduler = scheduler;
    this.slices = slices;
    this.snapshots = snapshots;
    this.onEventsCommitted = onEventsCommitted;
  }

  @Override
  public void awaiting(PendingTrigger trigger) {
    if (stopped) {
      return;
    }
    waiting.put(trigger.name(), trigger);
    startRound();
  }

  @Override
  public void removed(String name) {
    waiting.remove(name);
    // a round in progress skips it: its staged rows are not written (the store checks) or cleared next time
  }

  @Override
  public void committed(List<Change> changes, BigInteger frontier) {
    if (round != null) {
      round.log(changes);
    }
    // triggers that waited for the first checkpoint or schema can start now
    startRound();
  }

  /** Abandons the round in progress (the evaluator stops); staged rows stay until the next round clears them. */
  void stop() {
    stopped = true;
    waiting.clear();
    if (retryTimer != -1) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    if (round != null) {
      round.cancelled = true;
    }
  }

  /** Triggers with a baseline in progress or waiting for one. */
  int inProgress() {
    return waiting.size() + (round == null ? 0 : round.triggers.size());
  }

  /**
   * Starts a round with every waiting trigger after {@link #GATHER}, unless one runs or is about to, a retry is
   * pending or the source is not ready.
   */
  private void startRound() {
    if (stopped || round != null || retryTimer != -1 || waiting.isEmpty()) {
      return;
    }
    if (scheduler.committed() == null || scheduler.schema() == null) {
      // the source's first batch (a snapshot) baselines them, or the schema is not known yet: started after a commit
      return;
    }
    retryTimer = vertx.setTimer(GATHER.toMillis(), id -> {
      retryTimer = -1;
      beginRound();
    });
  }

  private void beginRound() {
    if (stopped || round != null || waiting.isEmpty()) {
      return;
    }
    List<PendingTrigger> triggers = new ArrayList<>();
    for (PendingTrigger trigger : waiting.values()) {
      if (registry.isAwaiting(trigger.identity())) {
        triggers.add(trigger);
      }
    }
    waiting.clear();
    if (triggers.isEmpty()) {
      return;
    }
    Round started = new Round(triggers, scheduler.committed());
    round = started;
    started.run().onComplete(ar -> finished(started, ar.cause()));
  }

  private void finished(Round finished, Throwable failure) {
    round = null;
    if (failure == null || finished.cancelled) {
      failures = 0;
      finished.logBaselined();
      startRound();
      return;
    }
    // every trigger of the round that still awaits its baseline tries again in the next round
    finished.triggers.stream().filter(trigger -> registry.isAwaiting(trigger.identity()))
        .forEach(trigger -> waiting.putIfAbsent(trigger.name(), trigger));
    failures++;
    Duration delay = RETRY.delay(failures, ThreadLocalRandom.current());
    LOG.warn("baseline failed, retrying [source: {}, triggers: {}, attempt: {}, delay ms: {}, cause: {}]", source,
        finished.names(), failures, delay.toMillis(), failure.getMessage());
    retryTimer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> {
      retryTimer = -1;
      beginRound();
    });
  }

  /** One shared snapshot for a set of triggers, from the snapshot to their activation. */
  private final class Round {

    private final List<PendingTrigger> triggers;
    private final BigInteger notBefore;
    private final long startedNanos = System.nanoTime();
    /** The changes committed since the round started, or {@code null} once too many were. */
    private List<Change> catchUp = new ArrayList<>();
    private boolean cancelled;
    private BigInteger frontier;
    private SourceSchema schema;
    private BigInteger checkpoint;
    private int caughtUp;
    /** The triggers being baselined with their evaluation of the snapshot, in trigger order. */
    private final Map<PendingTrigger, BatchEvaluation> baselines = new LinkedHashMap<>();
    /** The committed matched keys of the triggers being reconciled, by trigger name. */
    private final Map<String, Map<String, MatchedKeyState>> committedStates = new HashMap<>();
    /** The committed delivery-gate memory of each reconciled trigger (its suppressed open matches, cooldowns). */
    private final Map<String, Map<String, KeyGate>> committedGates = new HashMap<>();
    private final Map<PendingTrigger, ActiveTrigger> activated = new LinkedHashMap<>();

    Round(List<PendingTrigger> triggers, BigInteger notBefore) {
      this.triggers = triggers;
      this.notBefore = notBefore;
    }

    void log(List<Change> changes) {
      if (catchUp == null) {
        return;
      }
      if (catchUp.size() + changes.size() > MAX_CATCH_UP_CHANGES) {
        // the snapshot takes too long for the change rate: a newer one needs a shorter log
        catchUp = null;
        return;
      }
      catchUp.addAll(changes);
    }

    Future<Void> run() {
      return clearStaged()
          .compose(v -> snapshots.apply(notBefore))
          .compose(snapshot -> readCommittedStates(snapshot.schema()).map(snapshot))
          .compose(this::evaluate)
          .compose(v -> stage())
          .compose(v -> scheduler.submit(this::activate));
    }

    List<String> names() {
      return triggers.stream().map(PendingTrigger::name).toList();
    }

    /** Removes what an unfinished earlier attempt staged for these triggers, in slices. */
    private Future<Void> clearStaged() {
      return checkCancelled().compose(v -> store.clearStagedBaselines(names(), CLEAR_CHUNK))
          .compose(deleted -> deleted < CLEAR_CHUNK ? Future.<Void>succeededFuture() : clearStaged());
    }

    /**
     * Reads the committed matched keys of the triggers being reconciled, as a scheduler step: after any commit in
     * flight that still evaluated them, and no later commit does.
     */
    private Future<Void> readCommittedStates(SourceSchema snapshotSchema) {
      List<PendingTrigger> reconciled = triggers.stream().filter(PendingTrigger::reconcile).toList();
      if (reconciled.isEmpty()) {
        return Future.succeededFuture();
      }
      return scheduler.submit(() -> {
        Future<Void> chain = Future.succeededFuture();
        for (PendingTrigger trigger : reconciled) {
          chain = chain.compose(v -> readCommittedState(trigger, snapshotSchema));
        }
        return chain;
      });
    }

    private Future<Void> readCommittedState(PendingTrigger trigger, SourceSchema snapshotSchema) {
      ActiveTrigger decoder;
      try {
        // decoded by a trigger of the new definition: only the key columns and the row matter
        decoder = ActiveTrigger.compile(trigger.identity(), trigger.definition(), snapshotSchema, null);
      } catch (RuntimeException e) {
        registry.markUnusable(trigger.identity(), "cannot be reconciled against the source schema", e);
        return Future.succeededFuture();
      }
      return store.loadMatchedState(trigger.name())
          .compose(stored -> slices.<Map.Entry<String, String>>forEach(stored.entrySet(),
              entry -> decoder.restore(entry.getKey(), entry.getValue())))
          .compose(decoded -> KeyGates.load(store, trigger.name()))
          .map(gates -> {
            committedStates.put(trigger.name(), new HashMap<>(decoder.matched()));
            committedGates.put(trigger.name(), gates);
            return null;
          });
    }

    private Future<Void> checkCancelled() {
      return cancelled ? Future.failedFuture("the evaluator of source '" + source + "' stopped")
          : Future.succeededFuture();
    }

    private Future<Void> evaluate(SourceSnapshot snapshot) {
      frontier = snapshot.frontier();
      schema = scheduler.schema();
      if (frontier.compareTo(notBefore) < 0) {
        return Future.failedFuture("the snapshot at " + frontier + " is older than the checkpoint " + notBefore);
      }
      if (!snapshot.schema().equals(schema)) {
        return Future.failedFuture("the source schema changed during the baseline");
      }
      if (catchUp == null) {
        return Future.failedFuture("more than " + MAX_CATCH_UP_CHANGES + " changes were committed while the "
            + "snapshot was taken");
      }
      List<GroupEvaluation.Job> jobs = new ArrayList<>();
      Map<String, PendingTrigger> byName = new HashMap<>();
      for (PendingTrigger trigger : triggers) {
        TriggerStateMachine machine;
        try {
          machine = TriggerStateMachine.compile(trigger.name(), schema, trigger.definition());
        } catch (RuntimeException e) {
          registry.markUnusable(trigger.identity(), "cannot be baselined against the source schema", e);
          continue;
        }
        byName.put(trigger.name(), trigger);
        Map<String, MatchedKeyState> committed = committedStates.get(trigger.name());
        if (trigger.reconcile()) {
          if (committed == null) {
            continue;
          }
          BigInteger at = frontier;
          jobs.add(new GroupEvaluation.Job(trigger.name(),
              machine.start(MatchedKeyLookup.of(committed), true).reconciling(), change -> true,
              evaluation -> evaluation.finishReconcile(committed, at)));
        } else {
          jobs.add(GroupEvaluation.Job.of(trigger.name(),
              machine.start(MatchedKeyLookup.NONE, trigger.definition().includeSnapshot())));
        }
      }
      return GroupEvaluation.run(jobs, snapshot.rows(), slices).map(results -> {
        results.forEach((name, evaluation) -> baselines.put(byName.get(name), evaluation));
        return null;
      });
    }

    /**
     * Writes every trigger's matched keys and snapshot FIREs in chunks of about {@value #STAGE_CHUNK} rows (several
     * triggers share a chunk), each encoded in slices and stored in its own short transaction, with a pause between
     * chunks so other commits get the store's writer.
     */
    private Future<Void> stage() {
      List<StagedItem> items = new ArrayList<>();
      baselines.forEach((trigger, baseline) -> {
        if (trigger.reconcile()) {
          // its state and events are committed with its activation: the stored state is its committed one
          return;
        }
        baseline.delta().upserts().forEach((key, state) -> items.add(new StagedItem(trigger.name(), key, state, null)));
        baseline.events().forEach(event -> items.add(new StagedItem(trigger.name(), null, null, event)));
      });
      return stageFrom(items, 0);
    }

    private Future<Void> stageFrom(List<StagedItem> items, int from) {
      if (from >= items.size()) {
        return Future.succeededFuture();
      }
      List<StagedItem> chunk = items.subList(from, Math.min(items.size(), from + STAGE_CHUNK));
      Map<String, Map<String, String>> rows = new LinkedHashMap<>();
      Map<String, List<NewEvent>> events = new LinkedHashMap<>();
      int next = from + chunk.size();
      return checkCancelled()
          .compose(v -> slices.<StagedItem>forEach(chunk, item -> {
            if (item.event() == null) {
              rows.computeIfAbsent(item.trigger(), name -> new HashMap<>())
                  .put(item.key(), RowJson.encode(item.state().lastRow()));
            } else {
              events.computeIfAbsent(item.trigger(), name -> new ArrayList<>())
                  .add(SourceCommitBuilder.encode(item.event()));
            }
          }))
          .compose(v -> {
            List<StagedBaseline> parts = new ArrayList<>();
            rows.forEach((trigger, matched) -> parts.add(new StagedBaseline(trigger, matched, List.of())));
            events.forEach((trigger, fires) -> parts.add(new StagedBaseline(trigger, Map.of(), fires)));
            return store.stageBaselines(parts, frontier);
          })
          .compose(v -> next >= items.size() ? Future.<Void>succeededFuture()
              : vertx.timer(STAGE_PAUSE.toMillis()).compose(paused -> stageFrom(items, next)));
    }

    /**
     * Runs as a scheduler step, between two commits: catches every trigger that still awaits its baseline up on what
     * was committed since the snapshot, then activates them all in one commit.
     */
    private Future<Void> activate() {
      if (cancelled) {
        return checkCancelled();
      }
      if (!schema.equals(scheduler.schema())) {
        return Future.failedFuture("the source schema changed during the baseline");
      }
      if (catchUp == null) {
        return Future.failedFuture("more than " + MAX_CATCH_UP_CHANGES + " changes were committed while the "
            + "baseline was staged");
      }
      checkpoint = scheduler.committed();
      List<ActiveTrigger> triggersToActivate = new ArrayList<>();
      baselines.forEach((trigger, baseline) -> {
        // a trigger deleted (or re-created) meanwhile is left out: nothing was staged for it, or the next round clears
        if (registry.isAwaiting(trigger.identity())) {
          ActiveTrigger active = ActiveTrigger.compile(trigger.identity(), trigger.definition(), schema, frontier);
          if (trigger.reconcile()) {
            active.apply(new StateDelta(committedStates.get(trigger.name()), Set.of()));
            committedGates.getOrDefault(trigger.name(), Map.of()).forEach(active::restoreGate);
          }
          active.apply(baseline.delta());
          activated.put(trigger, active);
          triggersToActivate.add(active);
        }
      });
      if (triggersToActivate.isEmpty()) {
        return Future.succeededFuture();
      }
      List<Change> logged = catchUp;
      catchUp = null;
      caughtUp = (int) logged.stream().filter(change -> change.timestamp().compareTo(frontier) >= 0).count();
      SourceCommitBuilder builder = new SourceCommitBuilder(source, registry::deliverIfHolds);
      return LiveEvaluation.run(LiveTriggerSet.of(triggersToActivate), logged, slices)
          .compose(caught -> registry.deliverIfReady(triggersToActivate).map(caught))
          .compose(caught -> {
            triggersToActivate.forEach(active -> {
              if (committedStates.containsKey(active.name())) {
                // the reconcile's FIREs and CLEARs and state changes, at the snapshot's frontier, before the catch-up
                builder.evaluation(active, reconciled(active.name()));
              }
              BatchEvaluation evaluation = caught.get(active);
              if (evaluation != null) {
                builder.evaluation(active, evaluation);
              }
              builder.activation(active.name(), frontier);
            });
            return builder.build(checkpoint, slices)
                .compose(scheduler::commitDurably)
                .map(v -> caught);
          })
          .map(caught -> {
            caught.forEach((active, evaluation) -> active.apply(evaluation.delta()));
            builder.gatesCommitted();
            triggersToActivate.forEach(registry::activated);
            if (builder.eventCount() > 0) {
              onEventsCommitted.run();
            }
            return null;
          });
    }

    private BatchEvaluation reconciled(String name) {
      return baselines.entrySet().stream().filter(entry -> entry.getKey().name().equals(name))
          .map(Map.Entry::getValue).findFirst().orElseThrow();
    }

    void logBaselined() {
      long ms = (System.nanoTime() - startedNanos) / 1_000_000;
      activated.forEach((trigger, active) -> LOG.info("trigger baselined [source: {}, trigger: {}, baseline frontier: "
              + "{}, checkpoint: {}, matched keys: {}, catch-up changes: {}, triggers in the round: {}, ms: {}]", source,
          trigger.name(), frontier, checkpoint, active.matchedCount(), caughtUp, triggers.size(), ms));
    }
  }

  /** One matched key or one snapshot FIRE of a trigger, to be staged. */
  private record StagedItem(String trigger, String key, MatchedKeyState state, TriggerEvent event) {
  }
}
