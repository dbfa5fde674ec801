package io.tycostream.triggers.source.materialize;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts batches handed to the consumer whose futures have not completed yet. Not thread-safe: used only on the
 * reader's context.
 * <p>
 * The count spans connections: a new connection waits for {@link #drained()} before it asks the consumer for its
 * resume position, so batches still in flight from the old connection are reflected in that position instead of
 * being delivered twice. (A hand-off that timed out counts as completed; the consumer then drops that batch when it
 * is asked for the resume position.)
 */
final class PendingBatches {

  private int count;
  private final List<Promise<Void>> drainWaiters = new ArrayList<>();

  int count() {
    return count;
  }

  void increment() {
    count++;
  }

  void decrement() {
    count--;
    if (count == 0 && !drainWaiters.isEmpty()) {
      List<Promise<Void>> waiters = new ArrayList<>(drainWaiters);
      drainWaiters.clear();
      waiters.forEach(Promise::tryComplete);
    }
  }

  /** Completes once no batch is pending (at once if none is). */
  Future<Void> drained() {
    if (count == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    drainWaiters.add(promise);
    return promise.future();
  }
}
