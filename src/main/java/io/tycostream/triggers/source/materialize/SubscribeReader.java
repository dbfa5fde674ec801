package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.backoff.Backoff;
import io.tycostream.triggers.source.BatchConsumer;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ChangeSource;
import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.ResumePosition;
import io.tycostream.triggers.source.SourceFailure;
import io.tycostream.triggers.source.SourceSnapshot;
import io.tycostream.triggers.source.SourceState;
import io.tycostream.triggers.source.SourceStatus;
import io.tycostream.triggers.source.SourceStatusListener;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Reads one Materialize view as {@link ChangeBatch}es with {@code DECLARE … CURSOR FOR SUBSCRIBE … ENVELOPE UPSERT
 * WITH (PROGRESS)} and a FETCH loop over one dedicated connection (materialize-subscribe.md §0, §9).
 * <p>
 * <b>Delivery.</b> Rows are buffered until a progress row {@code F} closes them; then one batch with every change
 * below {@code F} goes to {@link BatchConsumer#accept}. At each (re)connect the reader asks
 * {@link BatchConsumer#resumePosition()}: a snapshot subscribes with {@code SNAPSHOT = true}, {@code after(F)} with
 * {@code SNAPSHOT = false AS OF F-1}, so given a consumer that stores {@code F} atomically with the batch nothing is
 * lost or repeated. Before asking, it waits until every batch handed to the consumer has completed.
 * <p>
 * <b>Latency.</b> Each data FETCH waits for the first available row and returns at once (no FETCH timeout by
 * default), so a committed change reaches the consumer within milliseconds; see {@link SubscribeSession}.
 * <p>
 * <b>Failures.</b> Any failure closes the connection, is classified by {@link FailureClassifier}, reported as
 * {@link SourceState#RETRYING} with {@code lastFailure}, and retried: after {@code slowRetry} for object dropped and
 * fatal failures, otherwise after an exponential, fully jittered back-off (reset only by a session that streamed for
 * {@link #HEALTHY_AFTER}). A connect that has not produced a ready session within {@code connectTimeout} is a
 * transient failure. A {@code key_violation} row is not data: it is reported as a {@link FailureKind#KEY_VIOLATION}
 * failure while streaming continues.
 * <p>
 * <b>Consumer failures are not source failures.</b> When the consumer fails (or times out) a hand-off or a
 * resume-position request, the reader logs a WARN, re-subscribes after the fixed {@code consumerRetryDelay}, and
 * neither grows its back-off nor reports a failure kind: the status goes {@link SourceState#RETRYING} with the
 * source's last real failure unchanged.
 * <p>
 * <b>Backpressure.</b> At most {@code maxPendingBatches} batches are accepted but not completed; beyond that the reader
 * stops fetching and keeps its session alive with {@code FETCH 0}. Memory is bounded by that many batches plus the
 * unclosed rows (at most {@code maxUnclosedRows}; a snapshot is one batch and must fit).
 * <p>
 * <b>Snapshots.</b> {@link #snapshotAt} reads the view at a frontier, {@link #snapshotAtLeast} at the newest time the
 * server offers, each over a second, short-lived connection ({@link SnapshotQuery}); the streaming session is not
 * touched.
 * <p>
 * <b>Stopping.</b> {@link #stop()} cancels a waiting FETCH (a cancel request; the resulting 57014 is expected, not a
 * failure), ends the subscribe and closes the connection, normally within milliseconds.
 * <p>
 * <b>Threading.</b> All work runs on the Vert.x context that called {@link #start()} (a new event-loop context when
 * called off Vert.x); nothing blocks. {@link #status()} and {@link #stop()} may be called from any thread. The listener
 * is called on that context on every state change and every new failure.
 */
public final class SubscribeReader implements ChangeSource {

  /** How long a session must have streamed before its batches reset the reconnect back-off. */
  static final Duration HEALTHY_AFTER = Duration.ofSeconds(10);
  /**
   * Growth of the reconnect delay ceiling per consecutive failure (from {@code initialBackoff} to
   * {@code maxBackoff}); full jitter spreads the reconnects of many sources after a server restart.
   */
  static final double RECONNECT_MULTIPLIER = 2.0;

  private static final Logger LOG = LoggerFactory.getLogger(SubscribeReader.class);

  private final Vertx vertx;
  private final SubscribeOptions options;
  private final BatchConsumer consumer;
  private final SourceStatusListener listener;
  private final Backoff backoff;
  private final PendingBatches pending = new PendingBatches();
  private final SessionEvents sessionEvents = new SessionEvents();
  private final String source;

  private Context context;
  private SubscribeSession session;
  private int consecutiveFailures;
  private long connectedAtNanos;
  /** History was lost: subscribe with a snapshot until a session has handed its snapshot batch over. */
  private boolean resnapshot;
  /** Snapshot queries in progress (a snapshot may run before the reader starts, so on another context). */
  private final Set<SnapshotQuery> snapshots = ConcurrentHashMap.newKeySet();
  private long retryTimer = -1;
  private boolean stopped;
  private Promise<Void> stopPromise;
  private volatile SourceStatus status;

  public SubscribeReader(Vertx vertx, SubscribeOptions options, BatchConsumer consumer,
                         SourceStatusListener listener) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.listener = listener == null ? SourceStatusListener.NONE : listener;
    this.source = String.valueOf(options.getSource());
    this.backoff = Backoff.of(options.getInitialBackoff(), RECONNECT_MULTIPLIER, options.getMaxBackoff(),
        Backoff.Jitter.FULL);
    this.status = new SourceStatus(source, SourceState.STARTING, null, null);
  }

  @Override
  public synchronized Future<Void> start() {
    String invalid = invalidOption();
    if (invalid != null) {
      return Future.failedFuture(new IllegalArgumentException("invalid subscribe options [source: " + source
          + "]: " + invalid));
    }
    if (context != null) {
      return Future.succeededFuture();
    }
    context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      publish(SourceState.STARTING, null);
      connect();
    });
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> stop() {
    if (context == null) {
      stopped = true;
      publish(SourceState.STOPPED, status.lastFailure());
      return Future.succeededFuture();
    }
    Promise<Void> result = Promise.promise();
    context.runOnContext(v -> doStop().onComplete(result));
    return result.future();
  }

  @Override
  public SourceStatus status() {
    return status;
  }

  /**
   * Reads the view at {@code frontier} with {@code SUBSCRIBE … AS OF F-1 UP TO F} on a dedicated connection, bounded
   * by {@code snapshotTimeout}. Works whether or not the reader is running; runs on the reader's context once
   * started.
   */
  @Override
  public Future<SourceSnapshot> snapshotAt(BigInteger frontier) {
    if (frontier == null || frontier.signum() <= 0) {
      return Future.failedFuture(new IllegalArgumentException("a snapshot frontier must be positive [source: "
          + source + ", frontier: " + frontier + "]"));
    }
    return runSnapshot(() -> SnapshotQuery.at(vertx, options, frontier));
  }

  /**
   * Reads the view at the newest time {@code T >= notBefore - 1} the server offers, with {@code SUBSCRIBE … WITH
   * (PROGRESS, SNAPSHOT = true) AS OF AT LEAST notBefore - 1} on a dedicated connection, ended after the progress row
   * that closes the snapshot; needs no old history. Bounded by {@code snapshotTimeout}. Works whether or not the
   * reader is running; runs on the reader's context once started.
   */
  @Override
  public Future<SourceSnapshot> snapshotAtLeast(BigInteger notBefore) {
    if (notBefore != null && notBefore.signum() <= 0) {
      return Future.failedFuture(new IllegalArgumentException("a snapshot's lowest frontier must be positive "
          + "[source: " + source + ", not before: " + notBefore + "]"));
    }
    return runSnapshot(() -> SnapshotQuery.atLeast(vertx, options, notBefore));
  }

  private Future<SourceSnapshot> runSnapshot(Supplier<SnapshotQuery> queries) {
    String invalid = invalidOption();
    if (invalid != null) {
      return Future.failedFuture(new IllegalArgumentException("invalid subscribe options [source: " + source
          + "]: " + invalid));
    }
    Context target;
    synchronized (this) {
      target = context != null ? context : vertx.getOrCreateContext();
    }
    Promise<SourceSnapshot> result = Promise.promise();
    target.runOnContext(v -> {
      SnapshotQuery query = queries.get();
      snapshots.add(query);
      query.run().onComplete(ar -> snapshots.remove(query)).onComplete(result);
    });
    return result.future();
  }

  private Future<Void> doStop() {
    if (stopPromise != null) {
      return stopPromise.future();
    }
    stopPromise = Promise.promise();
    stopped = true;
    if (retryTimer != -1) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    // a baseline snapshot in progress would keep its connection for up to snapshotTimeout
    List.copyOf(snapshots).forEach(SnapshotQuery::abort);
    Future<Void> closing = session == null ? Future.succeededFuture() : session.close();
    session = null;
    closing.onComplete(ar -> {
      publish(SourceState.STOPPED, status.lastFailure());
      LOG.info("source stopped [source: {}]", source);
      stopPromise.complete();
    });
    return stopPromise.future();
  }

  /** Waits for pending batches, asks where to resume, and opens a new session. */
  private void connect() {
    if (stopped) {
      return;
    }
    pending.drained()
        .compose(v -> onContext(askResumePosition()))
        .onComplete(ar -> {
          if (stopped) {
            return;
          }
          if (ar.failed()) {
            retryAfter(null, ar.cause());
          } else {
            openSession(resnapshot ? ResumePosition.snapshot() : ar.result());
          }
        });
  }

  private Future<ResumePosition> askResumePosition() {
    Future<ResumePosition> position;
    try {
      position = consumer.resumePosition();
    } catch (RuntimeException e) {
      position = Future.failedFuture(e);
    }
    if (position == null) {
      position = Future.failedFuture(new IllegalStateException("the consumer returned no resume position"));
    }
    return position.recover(e -> Future.failedFuture(new ConsumerRefusedException(
        "the consumer failed the resume-position request: " + e.getMessage(), e)));
  }

  private void openSession(ResumePosition position) {
    LOG.info("subscribing [source: {}, view: {}, {}]", source, options.getView(),
        position.frontier().map(f -> "snapshot: false, as of: " + f.subtract(java.math.BigInteger.ONE))
            .orElse("snapshot: true"));
    session = new SubscribeSession(vertx, context, options, consumer, pending, sessionEvents, position);
    session.start();
  }

  private void retryAfter(SubscribeSession failed, Throwable cause) {
    if (stopped || failed != session) {
      return;
    }
    session = null;
    if (cause instanceof ConsumerRefusedException refused) {
      retryForConsumer(refused);
      return;
    }
    SourceFailure failure = FailureClassifier.toFailure(cause, Instant.now());
    consecutiveFailures++;
    if (failure.kind() == FailureKind.HISTORY_LOST && !resnapshot) {
      // design.md §3.4: the changes between the checkpoint and now are gone; a fresh snapshot lets the consumer
      // reconcile its state against the view as it is now (its snapshot batch arrives flagged as a snapshot)
      resnapshot = true;
      LOG.error("source gap: history before the checkpoint is compacted, re-subscribing with a fresh snapshot "
          + "to reconcile [source: {}, message: {}]", source, failure.message());
    }
    Duration delay = FailureClassifier.needsSlowRetry(failure.kind())
        ? options.getSlowRetry()
        : backoff.delay(consecutiveFailures, ThreadLocalRandom.current());
    if (FailureClassifier.needsSlowRetry(failure.kind())) {
      LOG.error("subscribe failed [source: {}, kind: {}, sqlstate: {}, message: {}]", source, failure.kind(),
          failure.sqlState(), failure.message());
    } else {
      LOG.warn("subscribe failed [source: {}, kind: {}, sqlstate: {}, message: {}]", source, failure.kind(),
          failure.sqlState(), failure.message());
    }
    LOG.info("reconnecting [source: {}, delay: {} ms, attempt: {}]", source, delay.toMillis(), consecutiveFailures);
    publish(SourceState.RETRYING, failure);
    reconnectAfter(delay);
  }

  /**
   * The consumer (the store behind it) failed, not Materialize: re-subscribe after the fixed consumer delay, leaving
   * the reconnect back-off and the source's last failure as they were.
   */
  private void retryForConsumer(ConsumerRefusedException refused) {
    Duration delay = options.getConsumerRetryDelay();
    LOG.warn("consumer refused, re-subscribing from its resume position [source: {}, delay: {} ms, reason: {}]",
        source, delay.toMillis(), refused.getMessage());
    publish(SourceState.RETRYING, status.lastFailure());
    reconnectAfter(delay);
  }

  private void reconnectAfter(Duration delay) {
    retryTimer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> {
      retryTimer = -1;
      connect();
    });
  }

  private void publish(SourceState state, SourceFailure failure) {
    status = new SourceStatus(source, state, failure, status.lastFrontier());
    try {
      listener.onStatus(status);
    } catch (RuntimeException e) {
      LOG.warn("status listener failed [source: {}]", source, e);
    }
  }

  private <T> Future<T> onContext(Future<T> future) {
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> context.runOnContext(v -> promise.handle(ar)));
    return promise.future();
  }

  private String invalidOption() {
    if (options.getSource() == null || options.getSource().isBlank()) {
      return "source name is required";
    }
    if (options.getView() == null || options.getView().isBlank()) {
      return "view is required";
    }
    if (options.getKeyColumns().isEmpty()) {
      return "at least one key column is required";
    }
    if (options.getFetchSize() <= 0 || options.getMaxPendingBatches() <= 0 || options.getMaxUnclosedRows() <= 0
        || options.getCoalesceAboveRows() <= 0) {
      return "fetchSize, maxPendingBatches, maxUnclosedRows and coalesceAboveRows must be positive";
    }
    if (options.getFetchTimeout() != null && options.getFetchTimeout().isNegative()) {
      return "fetchTimeout must not be negative";
    }
    for (Duration d : new Duration[] {options.getInitialBackoff(), options.getMaxBackoff(), options.getSlowRetry(),
        options.getKeepAliveInterval(), options.getStallTimeout(), options.getCloseTimeout(),
        options.getSnapshotTimeout(), options.getConnectTimeout(), options.getConsumerRetryDelay(),
        options.getCoalesceDelay()}) {
      if (d == null || d.isNegative()) {
        return "durations must be set and not negative";
      }
    }
    return null;
  }

  /** Session callbacks; events of a session that is no longer current are ignored. */
  private final class SessionEvents implements SubscribeSession.Events {

    @Override
    public void connected(SubscribeSession s) {
      if (s == session && !stopped) {
        connectedAtNanos = System.nanoTime();
        LOG.info("subscribed [source: {}]", source);
        publish(SourceState.CONNECTED, status.lastFailure());
      }
    }

    @Override
    public void batchHanded(SubscribeSession s, ChangeBatch batch) {
      LOG.debug("batch closed [source: {}, frontier: {}, changes: {}, snapshot: {}]", source, batch.frontier(),
          batch.changes().size(), batch.snapshot());
      SourceStatus current = status;
      status = new SourceStatus(source, current.state(), current.lastFailure(), batch.frontier());
    }

    @Override
    public void batchCompleted(SubscribeSession s, ChangeBatch batch) {
      if (batch.snapshot()) {
        resnapshot = false;
      }
      // only a session that has streamed for a while proves the trouble over: a late completion from a failed
      // session, or the first batches of one that keeps failing a second after connecting, must not reset the back-off
      if (s == session && System.nanoTime() - connectedAtNanos >= HEALTHY_AFTER.toNanos()) {
        consecutiveFailures = 0;
      }
    }

    @Override
    public void keyViolation(SubscribeSession s, SubscribeRow.KeyViolation violation) {
      if (s != session || stopped) {
        return;
      }
      String message = "key violation in view " + options.getView() + ": several rows for key "
          + options.getKeyColumns() + " = " + violation.key() + " at mz_timestamp " + violation.timestamp();
      LOG.error("{} [source: {}]", message, source);
      publish(status.state(), new SourceFailure(FailureKind.KEY_VIOLATION, null, message, Instant.now()));
    }

    @Override
    public void failed(SubscribeSession s, Throwable cause) {
      retryAfter(s, cause);
    }
  }
}
