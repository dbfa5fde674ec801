package io.tycostream.triggers.delivery;

import io.tycostream.triggers.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Keeps the outbox from growing without bound (design.md §4): every {@link #INTERVAL} it deletes delivered and dead
 * events older than the retention, with their attempts, then audit log entries older than the retention, in batches
 * of {@link #BATCH} so no single transaction holds the writer for long. Pending events are never pruned.
 * <p>
 * Confined to the context that called {@link #start()}; never blocks it. {@link #stop()} lets a pass in progress end
 * after its current batch, so the store can be closed after it without a failure to report.
 */
final class HistoryPruner {

  /** How often a pruning pass runs (the first one a little after start). */
  static final Duration INTERVAL = Duration.ofMinutes(10);
  static final Duration FIRST_PASS_DELAY = Duration.ofMinutes(1);
  /** Events deleted per transaction. */
  static final int BATCH = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(HistoryPruner.class);

  private final Vertx vertx;
  private final Store store;
  private final Duration retention;
  private final LongSupplier clockMs;
  private long timer = -1;
  private boolean stopped;
  private Future<Long> pass = Future.succeededFuture(0L);

  HistoryPruner(Vertx vertx, Store store, Duration retention, LongSupplier clockMs) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
  }

  void start() {
    schedule(FIRST_PASS_DELAY);
  }

  /** Cancels the next pass; completes once the pass in progress, if any, has ended (it never fails). */
  Future<Void> stop() {
    stopped = true;
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    return pass.<Void>mapEmpty().otherwiseEmpty();
  }

  /**
   * One pass: deletes batches until a batch comes back short, events first, then audit entries. Completes with the
   * number of rows deleted (events and audit entries).
   */
  Future<Long> prune() {
    long olderThanMs = clockMs.getAsLong() - retention.toMillis();
    return pruneFrom(olderThanMs, 0);
  }

  private Future<Long> pruneFrom(long olderThanMs, long deletedSoFar) {
    return store.pruneHistory(olderThanMs, BATCH).compose(deleted -> {
      long total = deletedSoFar + deleted;
      return deleted < BATCH || stopped ? pruneAuditFrom(olderThanMs, total) : pruneFrom(olderThanMs, total);
    });
  }

  /** The audit log is kept as long as the event history, pruned after it in the same pass. */
  private Future<Long> pruneAuditFrom(long olderThanMs, long deletedSoFar) {
    if (stopped) {
      return Future.succeededFuture(deletedSoFar);
    }
    return store.audit().prune(olderThanMs, BATCH).compose(deleted -> {
      long total = deletedSoFar + deleted;
      return deleted < BATCH ? Future.succeededFuture(total) : pruneAuditFrom(olderThanMs, total);
    });
  }

  private void schedule(Duration delay) {
    if (stopped) {
      return;
    }
    timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> {
      timer = -1;
      pass = prune();
      pass
          .onSuccess(deleted -> {
            if (deleted > 0) {
              LOG.info("event history pruned [deleted: {}, retention: {}]", deleted, retention);
            }
          })
          .onFailure(failure -> LOG.warn("pruning event history failed, retrying at the next pass [cause: {}]",
              failure.getMessage()))
          .onComplete(ar -> schedule(INTERVAL));
    });
  }
}
