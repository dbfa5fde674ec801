package io.tycostream.triggers.source.loadgen;

import io.tycostream.triggers.source.BatchConsumer;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ChangeSource;
import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.ResumePosition;
import io.tycostream.triggers.source.SourceFailure;
import io.tycostream.triggers.source.SourceSnapshot;
import io.tycostream.triggers.source.SourceSnapshotException;
import io.tycostream.triggers.source.SourceState;
import io.tycostream.triggers.source.SourceStatus;
import io.tycostream.triggers.source.SourceStatusListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An in-process source of realistic keyed changes (like Materialize's LOAD GENERATOR): the positions of
 * {@link PositionsGenerator}, one {@link ChangeBatch} per tick of {@code interval_ms}.
 * <p>
 * Behaves like the SUBSCRIBE reader towards its consumer: asks {@link BatchConsumer#resumePosition()} on start and
 * after every failed hand-off, sends the snapshot first unless resuming after a frontier, keeps at most
 * {@link #MAX_PENDING_ACCEPTS} batches un-acknowledged and skips ticks while behind (the logical clock only
 * advances on emitted ticks, so nothing is lost). A resume after frontier {@code F} starts at the tick that holds
 * {@code F}, without its changes before {@code F}, computed directly: the same position always yields the same
 * batches, however old it is.
 * <p>
 * Snapshots need no retained history: the rows at any frontier are a function of the seed and options
 * ({@link PositionsGenerator#rowsAt}), so {@link #snapshotAt(BigInteger)} answers exactly for every frontier from
 * the snapshot frontier up to the newest one the stream has reached (emitted, or resumed after), and
 * {@link #snapshotAtLeast(BigInteger)} answers at the newest one or at {@code notBefore} if that is newer. Both cost
 * one row per account and run on the calling thread.
 * <p>
 * Threading: the stream runs on the context that called {@link #start()}; {@link #status()}, {@link #snapshotAt}
 * and {@link #snapshotAtLeast} are safe from any thread.
 */
public final class LoadgenSource implements ChangeSource {

  /** Batches handed to the consumer and not yet completed before ticks are skipped. */
  public static final int MAX_PENDING_ACCEPTS = 4;
  /** Delay before asking the consumer again after a failed hand-off or resume request. */
  public static final Duration RETRY_DELAY = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(LoadgenSource.class);

  private final Vertx vertx;
  private final String source;
  private final LoadgenOptions options;
  private final PositionsGenerator generator;
  private final BatchConsumer consumer;
  private final SourceStatusListener listener;
  private volatile SourceStatus status;
  /** The newest frontier the stream has reached: emitted, or resumed after; {@code null} before either. */
  private volatile BigInteger reached;

  // confined to the starting context
  private long nextTick;
  /** The resume frontier while the first tick after a resume is still to be emitted, else {@code null}. */
  private BigInteger resumedAfter;
  private long generation;
  private int pending;
  private long tickTimer = -1;
  private long retryTimer = -1;
  private long skippedTicks;
  private boolean stopped;

  public LoadgenSource(Vertx vertx, String source, LoadgenOptions options, BatchConsumer consumer,
                       SourceStatusListener listener) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.source = Objects.requireNonNull(source, "source");
    this.options = new LoadgenOptions(Objects.requireNonNull(options, "options"));
    this.generator = new PositionsGenerator(source, this.options);
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.listener = listener == null ? SourceStatusListener.NONE : listener;
    this.status = new SourceStatus(source, SourceState.STARTING, null, null);
  }

  @Override
  public Future<Void> start() {
    connect();
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    if (!stopped) {
      stopped = true;
      generation++;
      cancelTimers();
      update(SourceState.STOPPED, status.lastFailure(), status.lastFrontier());
      LOG.info("loadgen stopped [source: {}, frontier: {}, skipped ticks: {}]", source, status.lastFrontier(),
          skippedTicks);
    }
    return Future.succeededFuture();
  }

  @Override
  public SourceStatus status() {
    return status;
  }

  /**
   * The rows at {@code frontier}, derived from the generator on the calling thread. Fails with a
   * {@link SourceSnapshotException}: {@link FailureKind#HISTORY_LOST} before the stream's snapshot frontier (there
   * is no state before it), {@link FailureKind#TRANSIENT} beyond the newest frontier reached so far.
   */
  @Override
  public Future<SourceSnapshot> snapshotAt(BigInteger frontier) {
    if (frontier == null) {
      return Future.failedFuture(new IllegalArgumentException("a snapshot frontier is required [source: "
          + source + "]"));
    }
    if (frontier.compareTo(PositionsGenerator.snapshotFrontier()) < 0) {
      return Future.failedFuture(new SourceSnapshotException(source, FailureKind.HISTORY_LOST, "frontier "
          + frontier + " of source " + source + " is before the load generator's first frontier "
          + PositionsGenerator.snapshotFrontier()));
    }
    BigInteger newest = reached;
    if (newest == null) {
      return Future.failedFuture(new SourceSnapshotException(source, FailureKind.TRANSIENT, "source " + source
          + " has emitted nothing yet, no snapshot at frontier " + frontier));
    }
    if (frontier.compareTo(newest) > 0) {
      return Future.failedFuture(new SourceSnapshotException(source, FailureKind.TRANSIENT, "frontier " + frontier
          + " of source " + source + " has not been reached yet (newest frontier: " + newest + ")"));
    }
    return snapshot(frontier);
  }

  /**
   * The rows at the newest frontier the stream has reached, or at {@code notBefore} when that is newer (the stream
   * will emit exactly the changes that lead there). Fails as {@link FailureKind#TRANSIENT} when nothing was
   * reached yet and no {@code notBefore} is given.
   */
  @Override
  public Future<SourceSnapshot> snapshotAtLeast(BigInteger notBefore) {
    BigInteger at = reached;
    if (notBefore != null && (at == null || notBefore.compareTo(at) > 0)) {
      at = notBefore;
    }
    if (at == null) {
      return Future.failedFuture(new SourceSnapshotException(source, FailureKind.TRANSIENT, "source " + source
          + " has emitted nothing yet, no fresh snapshot"));
    }
    return snapshot(at.max(PositionsGenerator.snapshotFrontier()));
  }

  private Future<SourceSnapshot> snapshot(BigInteger frontier) {
    try {
      return Future.succeededFuture(new SourceSnapshot(source, frontier, generator.rowsAt(frontier),
          PositionsGenerator.SCHEMA));
    } catch (RuntimeException e) {
      return Future.failedFuture(new SourceSnapshotException(source, FailureKind.FATAL, null, "no snapshot at "
          + "frontier " + frontier + " of source " + source + ": " + e.getMessage(), e));
    }
  }

  private void connect() {
    long current = ++generation;
    consumer.resumePosition().onComplete(result -> {
      if (current != generation) {
        return;
      }
      if (result.succeeded()) {
        begin(result.result(), current);
      } else {
        retryLater(result.cause());
      }
    });
  }

  private void begin(ResumePosition position, long current) {
    BigInteger after = position.frontier().orElse(null);
    update(SourceState.CONNECTED, status.lastFailure(), status.lastFrontier());
    if (after != null && after.compareTo(PositionsGenerator.snapshotFrontier()) >= 0) {
      try {
        nextTick = generator.tickAt(after);
      } catch (RuntimeException e) {
        retryLater(e);
        return;
      }
      resumedAfter = after;
      reach(after);
      LOG.info("loadgen resumed [source: {}, after: {}, tick: {}]", source, after, nextTick);
    } else {
      LOG.info("loadgen started with a snapshot [source: {}, entities: {}]", source, options.getEntities());
      nextTick = 0;
      resumedAfter = null;
      hand(generator.snapshot(), current);
    }
    tickTimer = vertx.setPeriodic(options.getIntervalMs(), id -> tick(current));
  }

  private void tick(long current) {
    if (current != generation) {
      return;
    }
    if (pending >= MAX_PENDING_ACCEPTS) {
      skippedTicks++;
      LOG.debug("consumer behind, tick skipped [source: {}, pending: {}]", source, pending);
      return;
    }
    ChangeBatch batch = generator.tickFrom(nextTick, resumedAfter);
    nextTick++;
    resumedAfter = null;
    hand(batch, current);
  }

  private void hand(ChangeBatch batch, long current) {
    pending++;
    reach(batch.frontier());
    update(status.state(), status.lastFailure(), batch.frontier());
    consumer.accept(batch).onComplete(result -> {
      if (current != generation) {
        return;
      }
      pending--;
      if (result.failed()) {
        retryLater(result.cause());
      }
    });
  }

  /** Only this context writes {@link #reached}; readers on other threads see a frontier the stream did reach. */
  private void reach(BigInteger frontier) {
    BigInteger newest = reached;
    if (newest == null || frontier.compareTo(newest) > 0) {
      reached = frontier;
    }
  }

  private void retryLater(Throwable cause) {
    generation++;
    pending = 0;
    cancelTimers();
    SourceFailure failure = new SourceFailure(FailureKind.TRANSIENT, null, String.valueOf(cause.getMessage()),
        Instant.now());
    update(SourceState.RETRYING, failure, status.lastFrontier());
    LOG.warn("loadgen hand-off failed, resuming in {} ms [source: {}, cause: {}]", RETRY_DELAY.toMillis(), source,
        failure.message());
    retryTimer = vertx.setTimer(RETRY_DELAY.toMillis(), id -> {
      retryTimer = -1;
      connect();
    });
  }

  private void cancelTimers() {
    if (tickTimer >= 0) {
      vertx.cancelTimer(tickTimer);
      tickTimer = -1;
    }
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
  }

  private void update(SourceState state, SourceFailure failure, BigInteger frontier) {
    SourceStatus next = new SourceStatus(source, state, failure, frontier);
    boolean changed = next.state() != status.state() || next.lastFailure() != status.lastFailure();
    status = next;
    if (changed) {
      listener.onStatus(next);
    }
  }
}
