package io.tycostream.triggers.trigger;

import io.tycostream.triggers.backoff.Backoff;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.source.SourceSnapshot;
import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.trigger.TriggerRegistry.PendingTrigger;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Gives a trigger created while its source streams its starting state (design.md §3.5) without needing old history,
 * so it works with Materialize's default 1 s retention:
 * <ol>
 *   <li>note the committed frontier {@code C} and start logging every later commit's changes (the catch-up log);</li>
 *   <li>take a fresh snapshot at a time the source chooses, no earlier than {@code C - 1}: its frontier
 *       {@code B >= C} holds every change below {@code B};</li>
 *   <li>evaluate it (in {@link Slices}) into the trigger's matched keys — silently, or with a FIRE each when
 *       {@code include_snapshot} — and stage keys and FIREs in the store in short chunks, neither evaluated nor
 *       delivered until activation;</li>
 *   <li>as one {@link CommitScheduler} step, between two commits: apply the logged changes at times {@code >= B}
 *       (committed meanwhile) to that state, then commit the catch-up's state changes and events and the
 *       activation at baseline frontier {@code B} in one small transaction (which also releases the staged FIREs); from then on the trigger takes
 *       the main stream's changes at times {@code >= B} (those below the checkpoint were caught up, those between the
 *       checkpoint and {@code B} are in the snapshot and skipped).</li>
 * </ol>
 * So no change is applied twice (those below {@code B} are in the snapshot) and none is missed (those from
 * {@code B} on are logged or still to come). A failure at any point restarts the attempt after a back-off; a crash
 * leaves the trigger awaiting its baseline, and the next attempt first clears what was staged. The other triggers of
 * the source and other sources keep committing throughout.
 * <p>
 * Confined to the evaluator's context.
 */
final class Baseliner implements TriggerRegistry.Listener, CommitScheduler.CommitObserver {

  /** Matched keys written per staging transaction: about 5 ms of the store's single writer. */
  static final int STAGE_CHUNK = 1_000;
  /**
   * Pause between two staging transactions, so the commits of every source get the store's single writer in between
   * instead of queueing behind a whole baseline.
   */
  static final Duration STAGE_PAUSE = Duration.ofMillis(10);
  /** Leftover staged keys deleted per transaction. */
  static final int CLEAR_CHUNK = 5_000;
  /** Changes the catch-up log may hold before the attempt restarts with a newer snapshot. */
  static final int MAX_CATCH_UP_CHANGES = 1_000_000;
  /** Waits between attempts of one trigger's baseline. */
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
  private final Map<String, Job> jobs = new HashMap<>();
  /** Store writes of cancelled attempts still in flight, which a new incarnation's attempt waits for. */
  private final Map<String, Future<Void>> draining = new HashMap<>();
  /** Staged attempts waiting for the activation step. */
  private final List<ReadyAttempt> ready = new ArrayList<>();
  private boolean activationSubmitted;
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
    start(trigger);
  }

  @Override
  public void removed(String name) {
    Job job = jobs.remove(name);
    if (job != null) {
      job.cancel();
      draining.put(name, job.writes);
    }
  }

  @Override
  public void committed(List<Change> changes, BigInteger frontier) {
    List.copyOf(jobs.values()).forEach(job -> job.log(changes));
    // triggers that waited for the first checkpoint or schema can start now
    registry.awaiting().forEach(this::start);
  }

  /**
   * Queues a staged attempt for activation. The attempts ready by the time the scheduler runs the step are activated
   * together, in one commit, so triggers created together do not wait for one commit each.
   */
  private Future<Void> activate(Job.Attempt attempt) {
    Promise<Void> done = Promise.promise();
    ready.add(new ReadyAttempt(attempt, done));
    if (!activationSubmitted) {
      activationSubmitted = true;
      scheduler.submit(this::activateReady).onFailure(failure -> {
        // the evaluator is stopping: the step never ran
        activationSubmitted = false;
        List.copyOf(ready).forEach(waiting -> waiting.done().tryFail(failure));
        ready.clear();
      });
    }
    return done.future();
  }

  /** The activation step: every ready attempt caught up, then one commit activates them all. */
  private Future<Void> activateReady() {
    activationSubmitted = false;
    List<ReadyAttempt> batch = List.copyOf(ready);
    ready.clear();
    SourceCommitBuilder builder = new SourceCommitBuilder(source);
    Map<ReadyAttempt, BatchEvaluation> included = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (ReadyAttempt waiting : batch) {
      chain = chain.compose(v -> waiting.attempt().catchUp().transform(caught -> {
        if (caught.succeeded()) {
          builder.evaluation(waiting.attempt().name(), caught.result())
              .activation(waiting.attempt().name(), waiting.attempt().baselineFrontier());
          included.put(waiting, caught.result());
        } else {
          waiting.done().tryFail(caught.cause());
        }
        return Future.succeededFuture();
      }));
    }
    return chain.compose(v -> included.isEmpty() ? Future.<Void>succeededFuture()
        : builder.build(scheduler.committed(), slices).compose(scheduler::commitDurably))
        .onComplete(committed -> included.forEach((waiting, caught) -> {
          if (committed.succeeded()) {
            waiting.attempt().activated(caught);
            waiting.done().tryComplete();
          } else {
            waiting.done().tryFail(committed.cause());
          }
        }))
        .onSuccess(committed -> {
          if (builder.eventCount() > 0) {
            onEventsCommitted.run();
          }
        });
  }

  /** An attempt whose staging is done, waiting for the activation step. */
  private record ReadyAttempt(Job.Attempt attempt, Promise<Void> done) {
  }

  /** Abandons every attempt (the evaluator stops); staged rows stay until the next attempt clears them. */
  void stop() {
    stopped = true;
    jobs.values().forEach(Job::cancel);
    jobs.clear();
  }

  /** Triggers with a baseline attempt in progress. */
  int inProgress() {
    return jobs.size();
  }

  private void start(PendingTrigger trigger) {
    Job current = jobs.get(trigger.name());
    if (stopped || (current != null && current.trigger.identity().equals(trigger.identity()))) {
      return;
    }
    if (scheduler.committed() == null || scheduler.schema() == null) {
      // the source's first batch (a snapshot) baselines it, or the schema is not known yet: started after a commit
      return;
    }
    if (current != null) {
      removed(trigger.name());
    }
    Job job = new Job(trigger);
    jobs.put(trigger.name(), job);
    job.attempt();
  }

  /** One trigger's baseline, over as many attempts as it takes. */
  private final class Job {

    private final PendingTrigger trigger;
    private Future<Void> writes = Future.succeededFuture();
    private int attempts;
    private boolean cancelled;
    private long retryTimer = -1;
    /** The changes committed since the attempt started, or {@code null} when not logging. */
    private List<Change> catchUp;
    private BigInteger notBefore;
    private long startedNanos;

    Job(PendingTrigger trigger) {
      this.trigger = trigger;
    }

    void cancel() {
      cancelled = true;
      catchUp = null;
      if (retryTimer != -1) {
        vertx.cancelTimer(retryTimer);
        retryTimer = -1;
      }
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

    void attempt() {
      attempts++;
      startedNanos = System.nanoTime();
      notBefore = scheduler.committed();
      catchUp = new ArrayList<>();
      Future<Void> previous = draining.containsKey(trigger.name()) ? draining.remove(trigger.name())
          : Future.succeededFuture();
      Attempt attempt = new Attempt();
      previous.transform(ignored -> clearStaged())
          .compose(v -> snapshots.apply(notBefore))
          .compose(attempt::evaluate)
          .compose(v -> attempt.stage())
          .compose(v -> activate(attempt))
          .onComplete(ar -> finished(ar.succeeded() ? null : ar.cause(), attempt));
    }

    private Future<Void> clearStaged() {
      return write(() -> store.clearStagedBaseline(trigger.name(), CLEAR_CHUNK))
          .compose(deleted -> deleted < CLEAR_CHUNK ? Future.<Void>succeededFuture() : clearStaged());
    }

    /** Runs a store write unless cancelled, remembering it so a later incarnation waits for it. */
    private <T> Future<T> write(java.util.function.Supplier<Future<T>> work) {
      if (cancelled) {
        return Future.failedFuture(new Cancelled());
      }
      Future<T> done = work.get();
      writes = done.<Void>mapEmpty().otherwiseEmpty();
      return done;
    }

    private void finished(Throwable failure, Attempt attempt) {
      catchUp = null;
      if (failure == null) {
        jobs.remove(trigger.name(), this);
        LOG.info("trigger baselined [source: {}, trigger: {}, baseline frontier: {}, checkpoint: {}, matched keys: {}, "
                + "catch-up changes: {}, ms: {}]", source, trigger.name(), attempt.frontier, attempt.checkpoint,
            attempt.matchedCount, attempt.caughtUp, (System.nanoTime() - startedNanos) / 1_000_000);
        return;
      }
      if (cancelled || failure instanceof Cancelled || jobs.get(trigger.name()) != this || stopped) {
        jobs.remove(trigger.name(), this);
        LOG.debug("baseline abandoned [source: {}, trigger: {}]", source, trigger.name());
        return;
      }
      Duration delay = RETRY.delay(attempts, ThreadLocalRandom.current());
      LOG.warn("baseline failed, retrying [source: {}, trigger: {}, attempt: {}, delay ms: {}, cause: {}]", source,
          trigger.name(), attempts, delay.toMillis(), failure.getMessage());
      retryTimer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> {
        retryTimer = -1;
        if (!cancelled && registry.isAwaiting(trigger.identity())) {
          attempt();
        } else {
          jobs.remove(trigger.name(), this);
        }
      });
    }

    /** What one attempt computed, from its snapshot to its activation. */
    private final class Attempt {

      private BigInteger frontier;
      private BigInteger checkpoint;
      private SourceSchema schema;
      private BatchEvaluation baseline;
      private int matchedCount;
      private int caughtUp;
      private ActiveTrigger active;

      Future<Void> evaluate(SourceSnapshot snapshot) {
        if (cancelled) {
          return Future.failedFuture(new Cancelled());
        }
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
        TriggerStateMachine machine;
        try {
          machine = TriggerStateMachine.compile(trigger.name(), schema, trigger.definition().fire(),
              trigger.definition().clear());
        } catch (RuntimeException e) {
          registry.markUnusable(trigger.identity(), "cannot be baselined against the source schema", e);
          cancel();
          return Future.failedFuture(new Cancelled());
        }
        GroupEvaluation.Job job = GroupEvaluation.Job.of(trigger.name(),
            machine.start(MatchedKeyLookup.NONE, trigger.definition().includeSnapshot()));
        return GroupEvaluation.run(List.of(job), snapshot.rows(), slices).map(results -> {
          baseline = results.get(trigger.name());
          matchedCount = baseline.delta().upserts().size();
          return null;
        });
      }

      /**
       * Writes the matched keys and the snapshot FIREs in chunks, each encoded in slices and stored in its own short
       * transaction, with a pause between chunks so other commits get the store's writer.
       */
      Future<Void> stage() {
        List<Map.Entry<String, MatchedKeyState>> rows = new ArrayList<>(baseline.delta().upserts().entrySet());
        return stageFrom(rows, baseline.events(), 0);
      }

      private Future<Void> stageFrom(List<Map.Entry<String, MatchedKeyState>> rows, List<TriggerEvent> events,
                                     int from) {
        if (from >= rows.size() && from >= events.size()) {
          return Future.succeededFuture();
        }
        List<Map.Entry<String, MatchedKeyState>> rowChunk = rows.subList(Math.min(from, rows.size()),
            Math.min(rows.size(), from + STAGE_CHUNK));
        List<TriggerEvent> eventChunk = events.subList(Math.min(from, events.size()),
            Math.min(events.size(), from + STAGE_CHUNK));
        Map<String, String> encodedRows = new HashMap<>(rowChunk.size() * 2);
        List<NewEvent> encodedEvents = new ArrayList<>(eventChunk.size());
        int next = from + STAGE_CHUNK;
        return slices.<Map.Entry<String, MatchedKeyState>>forEach(rowChunk,
                row -> encodedRows.put(row.getKey(), RowJson.encode(row.getValue().lastRow())))
            .compose(v -> slices.<TriggerEvent>forEach(eventChunk,
                event -> encodedEvents.add(SourceCommitBuilder.encode(event))))
            .compose(v -> write(() -> store.stageBaseline(trigger.name(), encodedRows, encodedEvents, frontier)))
            .compose(written -> written == 0
                ? Future.failedFuture(new Cancelled())
                : next >= rows.size() && next >= events.size() ? Future.succeededFuture()
                : vertx.timer(STAGE_PAUSE.toMillis()).compose(paused -> stageFrom(rows, events, next)));
      }

      /**
       * Part of an activation step: checks the attempt still applies, then applies what was committed since its
       * snapshot (at times {@code >= B}) to the staged state; the result goes into the activation commit.
       */
      Future<BatchEvaluation> catchUp() {
        if (cancelled || !registry.isAwaiting(trigger.identity())) {
          return Future.failedFuture(new Cancelled());
        }
        if (!schema.equals(scheduler.schema())) {
          return Future.failedFuture("the source schema changed during the baseline");
        }
        if (catchUp == null) {
          return Future.failedFuture("more than " + MAX_CATCH_UP_CHANGES + " changes were committed while the "
              + "baseline was staged");
        }
        checkpoint = scheduler.committed();
        active = ActiveTrigger.compile(trigger.identity(), trigger.definition(), schema, frontier);
        active.apply(baseline.delta());
        List<Change> logged = catchUp;
        catchUp = null;
        caughtUp = (int) logged.stream().filter(change -> change.timestamp().compareTo(frontier) >= 0).count();
        GroupEvaluation.Job job = new GroupEvaluation.Job(trigger.name(), active.machine().start(active.lookup(), true),
            change -> change.timestamp().compareTo(frontier) >= 0, TriggerStateMachine.Evaluation::finish);
        return GroupEvaluation.run(List.of(job), logged, slices).map(results -> results.get(trigger.name()));
      }

      String name() {
        return trigger.name();
      }

      BigInteger baselineFrontier() {
        return frontier;
      }

      /** The activation commit is durable: the trigger is active in memory from now on. */
      void activated(BatchEvaluation caught) {
        active.apply(caught.delta());
        matchedCount = active.matchedCount();
        registry.activated(active);
      }
    }
  }

  /** An attempt given up because its trigger went away or the evaluator stops; never retried. */
  private static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("baseline cancelled", null, false, false);
    }
  }
}
