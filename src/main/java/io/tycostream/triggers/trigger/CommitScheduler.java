package io.tycostream.triggers.trigger;

import io.tycostream.triggers.backoff.Backoff;
import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.bus.LocalCodec;
import io.tycostream.triggers.metrics.TriggerMeters;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ResumePosition;
import io.tycostream.triggers.source.SourceProgress;
import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.store.SourceCommit;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Commit scheduling of one source unit (design.md §3.2): for each group of queued batches, ONE store transaction
 * holds the new events, the matched-key state changes and the source checkpoint. A batch's hand-off completes only
 * once that transaction committed, so the source never runs ahead of what is durable; batches that queue up while a
 * commit runs are committed together (group commit), a snapshot batch alone.
 * <p>
 * Everything that must see a consistent committed state runs here as one step at a time: a group commit, loading
 * triggers, and the work {@link #submit submitted} by the baseliner (activating a trigger). A commit that fails
 * because the store cannot serve (busy, full, read-only, I/O) is retried with back-off, unchanged, until it succeeds
 * — the source just waits, it is not failed — while {@link SourceProgress} reports the failing streak to the health
 * check. A commit refused for good (the checkpoint would move back) fails its batches and every later one until the
 * source resumes from the checkpoint.
 * <p>
 * Confined to the evaluator's context: every method must be called there, and nothing here blocks; evaluation runs
 * in {@link Slices}.
 */
final class CommitScheduler {

  /** Pause before retrying a step that failed before committing (a store read), so a persistent failure cannot spin. */
  static final Duration STEP_RETRY_DELAY = Duration.ofMillis(500);
  /** Waits between attempts of a commit the store could not take. */
  static final Backoff COMMIT_RETRY = Backoff.of(Duration.ofMillis(100), 2, Duration.ofSeconds(5),
      Backoff.Jitter.FULL);

  /** Told about every durable commit, with its changes: the baseliner's catch-up log. */
  interface CommitObserver {
    void committed(List<Change> changes, BigInteger frontier);
  }

  /** Changes one group commit takes at most from several queued batches (a single bigger batch is taken alone). */
  static final int MAX_GROUP_CHANGES = 20_000;

  private static final Logger LOG = LoggerFactory.getLogger(CommitScheduler.class);

  private final Vertx vertx;
  private final String source;
  private final Store store;
  private final TriggerRegistry registry;
  private final Slices slices;
  private final SourceProgress progress;
  private final Runnable onEventsCommitted;
  private final Deque<Pending> queue = new ArrayDeque<>();
  private final Deque<Runnable> submitted = new ArrayDeque<>();
  private final EvaluationStats stats = new EvaluationStats();
  private CommitObserver observer = (changes, frontier) -> { };

  private BigInteger committed;
  private boolean checkpointLoaded;
  /** Whether the store's triggers were read once: nothing is committed before, or a trigger would miss changes. */
  private boolean triggersRead;
  private SourceSchema schema;
  /** The step in progress, or {@code null} when idle. */
  private Future<Void> running;
  /** A timer before the next try of a failed step, or -1. */
  private long retryTimer = -1;
  /** A timer before the next attempt of a commit the store could not take, or -1. */
  private long commitRetryTimer = -1;
  /** The outcome of the commit waiting for {@link #commitRetryTimer}, failed if the evaluator stops meanwhile. */
  private Promise<Void> retryingCommit;
  /** Set when a commit failed for good: later batches would leave a gap, so they are refused until the resume. */
  private boolean refuseUntilResume;
  private boolean stopped;

  CommitScheduler(Vertx vertx, String source, Store store, TriggerRegistry registry, Slices slices,
                  SourceProgress progress, Runnable onEventsCommitted) {
    this.vertx = vertx;
    this.source = source;
    this.store = store;
    this.registry = registry;
    this.slices = slices;
    this.progress = progress;
    this.onEventsCommitted = onEventsCommitted;
    // its commits are announced to deliver_if gates (#11), by reference
    LocalCodec.registerOnce(vertx.eventBus(), CommittedChanges.class);
  }

  void observer(CommitObserver observer) {
    this.observer = observer;
  }

  /** Takes a batch; the future completes once the batch is durably committed (or known to be already). */
  Future<Void> accept(ChangeBatch batch) {
    if (stopped) {
      return Future.failedFuture("the evaluator of source '" + source + "' is stopping");
    }
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
    queue.forEach(pending -> pending.promise().tryFail("superseded: source '" + source
        + "' resumes from its checkpoint"));
    queue.clear();
    Future<Void> idle = running == null ? Future.succeededFuture() : running.transform(ar -> Future.succeededFuture());
    return idle.compose(v -> loadCheckpoint());
  }

  /**
   * Runs {@code work} as a step of its own, between two commits, so it sees the committed state and no commit runs
   * beside it. Steps submitted this way run before queued batches.
   */
  <T> Future<T> submit(Supplier<Future<T>> work) {
    if (stopped) {
      return Future.failedFuture("the evaluator of source '" + source + "' is stopping");
    }
    Promise<T> result = Promise.promise();
    submitted.add(() -> {
      Future<T> done;
      try {
        done = work.get();
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      running = done.<Void>mapEmpty().otherwiseEmpty();
      done.onComplete(result);
    });
    drain();
    return result.future();
  }

  /** Commits {@code commit}, retrying while the store cannot take it; the future fails only for good. */
  Future<Void> commitDurably(SourceCommit commit) {
    Promise<Void> done = Promise.promise();
    attemptCommit(commit, 1, done);
    return done.future();
  }

  /** The durable frontier, {@code null} before the first commit (or before it was read). */
  BigInteger committed() {
    return committed;
  }

  /** The schema of the batches being committed, {@code null} before the first batch. */
  SourceSchema schema() {
    return schema;
  }

  EvaluationStats stats() {
    return stats;
  }

  /**
   * Stops taking work; queued batches are failed, a commit being retried is given up (nothing is lost: the source
   * resumes from the checkpoint next time). Completes once the step in progress ended, or after {@code bound}.
   */
  Future<Void> stop(Duration bound) {
    stopped = true;
    if (retryTimer != -1) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    if (commitRetryTimer != -1) {
      vertx.cancelTimer(commitRetryTimer);
      commitRetryTimer = -1;
      retryingCommit.tryFail("the evaluator of source '" + source + "' stopped while retrying a commit");
    }
    queue.forEach(pending -> pending.promise().tryFail("the evaluator of source '" + source + "' stopped"));
    queue.clear();
    if (running == null) {
      return Future.succeededFuture();
    }
    Promise<Void> idle = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, bound.toMillis()), id -> idle.tryComplete());
    running.onComplete(ar -> {
      vertx.cancelTimer(timer);
      idle.tryComplete();
    });
    return idle.future();
  }

  // --- the step loop ----------------------------------------------------------------------------------------------

  private void drain() {
    if (stopped || running != null || retryTimer != -1) {
      return;
    }
    if (!submitted.isEmpty()) {
      submitted.poll().run();
    } else if (!queue.isEmpty()) {
      running = commitStep();
    } else {
      return;
    }
    running.onComplete(ar -> {
      running = null;
      if (ar.failed() && !stopped) {
        // e.g. the store is unavailable for a read: queued batches wait (the source's hand-off may time out and
        // it resumes), the step is retried
        LOG.warn("evaluation step failed, retrying [source: {}, cause: {}]", source, ar.cause().getMessage());
        retryTimer = vertx.setTimer(STEP_RETRY_DELAY.toMillis(), id -> {
          retryTimer = -1;
          drain();
        });
      } else if (!queue.isEmpty() || !submitted.isEmpty()) {
        vertx.runOnContext(v -> drain());
      }
    });
  }

  private Future<Void> commitStep() {
    Future<Void> ready = checkpointLoaded ? Future.succeededFuture() : loadCheckpoint().mapEmpty();
    return ready
        .compose(v -> triggersRead ? Future.succeededFuture() : registry.refreshAll().onSuccess(read -> {
          triggersRead = true;
        }))
        .compose(v -> prepareTriggers())
        .compose(v -> queue.isEmpty() ? Future.succeededFuture() : commitGroup(takeGroup()));
  }

  private Future<ResumePosition> loadCheckpoint() {
    return store.loadCheckpoint(source).map(checkpoint -> {
      refuseUntilResume = false;
      committed = checkpoint.orElse(null);
      checkpointLoaded = true;
      return checkpoint.map(ResumePosition::after).orElse(ResumePosition.snapshot());
    });
  }

  /** Triggers are compiled against the schema of the batches they evaluate; a new schema recompiles them all. */
  private Future<Void> prepareTriggers() {
    if (queue.isEmpty()) {
      // the source resumed meanwhile and its queued batches were dropped
      return Future.succeededFuture();
    }
    SourceSchema next = queue.peek().batch().schema();
    if (!next.equals(schema)) {
      if (schema != null) {
        LOG.info("source schema changed, recompiling triggers [source: {}, schema: {}]", source, next);
      }
      schema = next;
      registry.schemaChanged();
    }
    return registry.needsLoading() ? registry.load(schema) : Future.succeededFuture();
  }

  /**
   * The batches committed together: the queued batches with the current schema, up to the next snapshot batch. A
   * snapshot batch (and, before the first commit, whatever batch comes first) is committed alone: it baselines new
   * triggers or reconciles existing ones, and must not swallow the updates after it. A group stops growing at
   * {@link #MAX_GROUP_CHANGES} changes (a bigger batch is still committed, alone), so one transaction stays short.
   */
  private List<Pending> takeGroup() {
    int size = 1;
    if (committed != null && !queue.peek().batch().snapshot()) {
      List<Pending> queued = new ArrayList<>(queue);
      int changes = queued.get(0).batch().changes().size();
      while (size < queued.size() && queued.get(size).batch().schema().equals(schema)
          && !queued.get(size).batch().snapshot()
          && changes + queued.get(size).batch().changes().size() <= MAX_GROUP_CHANGES) {
        changes += queued.get(size).batch().changes().size();
        size++;
      }
    }
    List<Pending> group = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      group.add(queue.poll());
    }
    return group;
  }

  private Future<Void> commitGroup(List<Pending> group) {
    BigInteger frontier = group.get(group.size() - 1).batch().frontier();
    if (committed != null && frontier.compareTo(committed) <= 0) {
      // already durable (a batch re-sent after a lost reply, or replayed by a reconnect)
      group.forEach(pending -> pending.promise().tryComplete());
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
    GroupCommit commit = snapshot
        ? GroupCommit.snapshot(source, registry, schema, changes, frontier, committed != null)
        : GroupCommit.live(source, registry, changes);
    if (commit.reconciles()) {
      LOG.error("source gap: history between the checkpoint and a fresh snapshot was lost; reconciling every trigger "
          + "against the snapshot [source: {}, checkpoint: {}, snapshot at: {}]", source, committed,
          frontier.subtract(BigInteger.ONE));
    }
    long started = System.nanoTime();
    Future<Void> done = commit.evaluate(slices)
        .compose(builder -> builder.build(frontier, slices))
        .compose(built -> commitDurably(built).map(built))
        .map(durable -> {
          applyCommitted(commit, frontier, changes, group.size(), started);
          countEvents(durable.events());
          announceCommitted(frontier, changes, commit);
          return null;
        });
    done.onComplete(ar -> {
      if (ar.failed()) {
        failCommit(ar.cause(), frontier);
      }
      group.forEach(pending -> {
        if (ar.succeeded()) {
          pending.promise().tryComplete();
        } else {
          pending.promise().tryFail(ar.cause());
        }
      });
    });
    // a failed commit is handled (logged, batches refused until the resume): the step itself is over
    return done.otherwiseEmpty();
  }

  private void applyCommitted(GroupCommit commit, BigInteger frontier, List<Change> changes, int batches,
                              long startedNanos) {
    BigInteger checkpoint = committed;
    committed = frontier;
    commit.applyTo(registry);
    stats.batches += batches;
    stats.changes += changes.size();
    stats.commits++;
    stats.events += commit.eventCount();
    stats.frontier = frontier;
    progress.meters().committed(batches, changes.size(), System.nanoTime() - startedNanos);
    if (commit.reconciles()) {
      progress.meters().gapReconciled();
      LOG.info("source gap reconciled [source: {}, snapshot at: {}, events: {}]", source,
          frontier.subtract(BigInteger.ONE), commit.eventCount());
      announceGap(checkpoint, frontier, commit.eventCount());
    }
    LOG.debug("committed [source: {}, frontier: {}, batches: {}, events: {}, ms: {}]", source, frontier, batches,
        commit.eventCount(), (System.nanoTime() - startedNanos) / 1_000_000);
    if (commit.eventCount() > 0) {
      onEventsCommitted.run();
    }
    observer.committed(changes, frontier);
  }

  /** Counts the durable commit's events per trigger: fires, clears, and those a delivery gate held back. */
  private void countEvents(List<NewEvent> events) {
    String lastTrigger = null;
    TriggerMeters meters = null;
    for (NewEvent event : events) {
      if (!event.triggerName().equals(lastTrigger)) {
        // consecutive events of one trigger (the usual case in a busy commit) share one look-up
        lastTrigger = event.triggerName();
        meters = progress.meters().trigger(lastTrigger);
      }
      if (EventType.FIRE.wireName().equals(event.eventType())) {
        meters.fired();
      } else if (EventType.CLEAR.wireName().equals(event.eventType())) {
        meters.cleared();
      }
      if (event.suppressed() != null) {
        meters.suppressed();
      }
    }
  }

  /**
   * Tells the {@code deliver_if} gates of other evaluators on this node what this durable commit applied (#11); a
   * publish without listeners costs nothing more than the lookup.
   */
  private void announceCommitted(BigInteger frontier, List<Change> changes, GroupCommit commit) {
    vertx.eventBus().publish(BusAddresses.committedChanges(source),
        new CommittedChanges(source, frontier, changes, commit.isSnapshot()), new DeliveryOptions().setLocalOnly(true));
  }

  /** Tells the alerts of this node, once the reconcile is durable, that history was lost between the frontiers. */
  private void announceGap(BigInteger checkpoint, BigInteger frontier, int events) {
    vertx.eventBus().publish(BusAddresses.SOURCE_GAP_RECONCILED, new JsonObject().put("source", source)
        .put("checkpoint", checkpoint == null ? null : checkpoint.toString())
        .put("frontier", frontier.toString())
        .put("events", events), new DeliveryOptions().setLocalOnly(true));
  }

  private void attemptCommit(SourceCommit commit, int attempt, Promise<Void> done) {
    store.commit(commit).onComplete(ar -> {
      if (ar.succeeded()) {
        if (attempt > 1) {
          LOG.info("commit succeeded after retries [source: {}, frontier: {}, attempts: {}]", source,
              commit.frontier(), attempt);
        }
        progress.committed(commit.frontier());
        done.complete();
        return;
      }
      Throwable cause = ar.cause();
      boolean retryable = cause instanceof StoreException store && store.storeCode().retryable();
      if (stopped || !retryable) {
        done.fail(cause);
        return;
      }
      progress.commitFailed(cause.getMessage());
      Duration delay = COMMIT_RETRY.delay(attempt, ThreadLocalRandom.current());
      if (attempt == 1 || attempt % 20 == 0) {
        LOG.warn("commit failed, retrying [source: {}, frontier: {}, attempt: {}, cause: {}]", source,
            commit.frontier(), attempt, cause.getMessage());
      }
      retryingCommit = done;
      commitRetryTimer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> {
        commitRetryTimer = -1;
        attemptCommit(commit, attempt + 1, done);
      });
    });
  }

  private void failCommit(Throwable failure, BigInteger frontier) {
    refuseUntilResume = true;
    queue.forEach(pending -> pending.promise().tryFail("an earlier commit failed: " + failure.getMessage()));
    queue.clear();
    if (stopped) {
      LOG.info("commit abandoned, the evaluator is stopping; the source resumes from its checkpoint [source: {}, "
          + "frontier: {}]", source, frontier);
    } else if (failure instanceof StoreException store && store.storeCode() == StoreErrorCode.FENCED) {
      LOG.error("commit refused: another node took the source over, this node steps down [source: {}, frontier: "
          + "{}, cause: {}]", source, frontier, failure.getMessage());
      progress.fenced(failure.getMessage());
    } else {
      LOG.error("commit failed, the source will resume from its checkpoint [source: {}, frontier: {}, cause: {}]",
          source, frontier, failure.getMessage());
    }
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
