package io.tycostream.triggers.source.loadgen;

import io.tycostream.triggers.config.LoadgenConfig;
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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An in-process source of realistic keyed changes (like Materialize's LOAD GENERATOR): the positions of
 * {@link PositionsGenerator}, one {@link ChangeBatch} per tick of {@code interval_ms}.
 * <p>
 * Behaves like the SUBSCRIBE reader towards its consumer: asks {@link BatchConsumer#resumePosition()} on start and
 * after every failed hand-off, sends the snapshot first unless resuming after a frontier, keeps at most
 * {@link #MAX_PENDING_ACCEPTS} batches un-acknowledged and skips ticks while behind (the logical clock only
 * advances on emitted ticks, so nothing is lost).
 * <p>
 * Snapshots: the last {@link #SNAPSHOT_HISTORY_FRONTIERS} emitted batches are retained, so
 * {@link #snapshotAt(BigInteger)} answers exactly for any frontier in that window; an older one fails with
 * {@link FailureKind#HISTORY_LOST}, like Materialize past its retention. A resume after a failed hand-off restarts the
 * window at the resume frontier. All work runs on the context that called {@link #start()};
 * {@link #status()} is safe from any thread.
 */
public final class LoadgenSource implements ChangeSource {

  /** Batches handed to the consumer and not yet completed before ticks are skipped. */
  public static final int MAX_PENDING_ACCEPTS = 4;
  /** Delay before asking the consumer again after a failed hand-off or resume request. */
  public static final Duration RETRY_DELAY = Duration.ofSeconds(1);
  /** How many recently emitted frontiers a snapshot can be taken at. */
  public static final int SNAPSHOT_HISTORY_FRONTIERS = 256;

  private static final Logger LOG = LoggerFactory.getLogger(LoadgenSource.class);

  private final Vertx vertx;
  private final String source;
  private final LoadgenConfig config;
  private final BatchConsumer consumer;
  private final SourceStatusListener listener;
  private final LoadgenHistory history;
  private volatile SourceStatus status;

  // confined to the starting context
  private PositionsGenerator generator;
  private long generation;
  private int pending;
  private long tickTimer = -1;
  private long retryTimer = -1;
  private long skippedTicks;
  private boolean stopped;

  public LoadgenSource(Vertx vertx, String source, LoadgenConfig config, BatchConsumer consumer,
                       SourceStatusListener listener) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.source = Objects.requireNonNull(source, "source");
    this.config = Objects.requireNonNull(config, "config");
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.listener = listener == null ? SourceStatusListener.NONE : listener;
    this.status = new SourceStatus(source, SourceState.STARTING, null, null);
    this.history = new LoadgenHistory(source, PositionsGenerator.SCHEMA, SNAPSHOT_HISTORY_FRONTIERS);
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

  /** Answered from the retained history on the calling thread; never touches the running stream. */
  @Override
  public Future<SourceSnapshot> snapshotAt(BigInteger frontier) {
    if (frontier == null) {
      return Future.failedFuture(new IllegalArgumentException("a snapshot frontier is required [source: "
          + source + "]"));
    }
    try {
      return Future.succeededFuture(history.snapshotAt(frontier));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
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
    generator = new PositionsGenerator(source, config);
    BigInteger resumeAfter = position.frontier().orElse(null);
    update(SourceState.CONNECTED, status.lastFailure(), status.lastFrontier());
    if (resumeAfter != null && resumeAfter.compareTo(PositionsGenerator.snapshotFrontier()) >= 0) {
      generator.skipTo(resumeAfter);
      history.reset(generator.frontier(), generator.liveRows());
      LOG.info("loadgen resumed [source: {}, after: {}]", source, resumeAfter);
    } else {
      LOG.info("loadgen started with a snapshot [source: {}, entities: {}]", source, config.entities());
      history.reset(null, List.of());
      hand(generator.snapshot(), current);
    }
    tickTimer = vertx.setPeriodic(config.intervalMs(), id -> tick(current));
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
    hand(generator.nextTick(), current);
  }

  private void hand(ChangeBatch batch, long current) {
    pending++;
    history.record(batch);
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
