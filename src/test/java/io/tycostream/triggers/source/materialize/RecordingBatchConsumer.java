package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.source.BatchConsumer;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ResumePosition;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A test consumer that acts as a durable one: a batch counts as stored when its future completes, and
 * {@link #resumePosition()} is the last stored frontier (a snapshot before the first one). It can stall each batch
 * for a while, refuse the next batches or resume-position requests, and records when it refused and was asked. Thread-safe (the reader calls it on its context, the test reads it).
 */
final class RecordingBatchConsumer implements BatchConsumer {

  private final Vertx vertx;
  private final List<ChangeBatch> stored = new ArrayList<>();
  private final List<ResumePosition> positionsServed = new ArrayList<>();
  private Duration stall = Duration.ZERO;
  private int batchesToRefuse;
  private int positionsToRefuse;
  private final List<Long> refusalNanos = new ArrayList<>();
  private final List<Long> positionRequestNanos = new ArrayList<>();
  private int accepted;
  private int inFlight;
  private int maxInFlight;

  RecordingBatchConsumer(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Every later batch completes only after {@code stall}; zero completes at once. */
  synchronized RecordingBatchConsumer stallEachBatch(Duration stall) {
    this.stall = stall;
    return this;
  }

  /** The next batch is refused (not stored). */
  synchronized void failNextBatch() {
    failNextBatches(1);
  }

  /** The next {@code count} batches are refused (not stored), as a store that keeps failing would. */
  synchronized void failNextBatches(int count) {
    batchesToRefuse = count;
  }

  /** The next {@code count} resume-position requests fail. */
  synchronized void failNextResumePositions(int count) {
    positionsToRefuse = count;
  }

  @Override
  public Future<Void> accept(ChangeBatch batch) {
    Duration delay;
    synchronized (this) {
      accepted++;
      if (batchesToRefuse > 0) {
        batchesToRefuse--;
        refusalNanos.add(System.nanoTime());
        return Future.failedFuture(new IllegalStateException("refused by test"));
      }
      delay = stall;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
    }
    if (delay.isZero()) {
      store(batch);
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    vertx.setTimer(delay.toMillis(), id -> {
      store(batch);
      done.complete();
    });
    return done.future();
  }

  private synchronized void store(ChangeBatch batch) {
    inFlight--;
    stored.add(batch);
    notifyAll();
  }

  /** The most batches that were accepted and not yet completed at any one time. */
  synchronized int maxBatchesInFlight() {
    return maxInFlight;
  }

  @Override
  public synchronized Future<ResumePosition> resumePosition() {
    positionRequestNanos.add(System.nanoTime());
    if (positionsToRefuse > 0) {
      positionsToRefuse--;
      refusalNanos.add(System.nanoTime());
      return Future.failedFuture(new IllegalStateException("resume position refused by test"));
    }
    ResumePosition position = stored.isEmpty()
        ? ResumePosition.snapshot()
        : ResumePosition.after(stored.get(stored.size() - 1).frontier());
    positionsServed.add(position);
    return Future.succeededFuture(position);
  }

  synchronized List<ChangeBatch> batches() {
    return List.copyOf(stored);
  }

  /** The non-empty stored batches. */
  synchronized List<ChangeBatch> nonEmptyBatches() {
    return stored.stream().filter(b -> !b.isEmpty()).toList();
  }

  /** Every stored change, in order. */
  synchronized List<Change> changes() {
    return stored.stream().flatMap(b -> b.changes().stream()).toList();
  }

  /** The positions handed out at each (re)connect. */
  synchronized List<ResumePosition> positionsServed() {
    return List.copyOf(positionsServed);
  }

  /** When each refusal (of a batch or a resume position) happened, in order ({@link System#nanoTime()}). */
  synchronized List<Long> refusalNanos() {
    return List.copyOf(refusalNanos);
  }

  /** When each resume position was asked for, in order ({@link System#nanoTime()}), refused ones included. */
  synchronized List<Long> positionRequestNanos() {
    return List.copyOf(positionRequestNanos);
  }

  synchronized int acceptedCount() {
    return accepted;
  }

  /** Waits (on the test thread, never an event loop) until the stored batches satisfy {@code condition}. */
  synchronized List<ChangeBatch> awaitBatches(Predicate<List<ChangeBatch>> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.test(stored)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("condition not met within " + timeout + "; batches: " + stored);
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return List.copyOf(stored);
  }
}
