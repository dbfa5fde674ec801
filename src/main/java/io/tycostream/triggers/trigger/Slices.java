package io.tycostream.triggers.trigger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs a long loop on an event loop in short slices: items are processed until the slice's time budget is spent,
 * then the rest continues in a later turn of the same context, so timers, bus messages and the commits of other
 * triggers and sources sharing the thread run in between. This is what keeps a baseline or reconcile of a large
 * view from being one long step (design.md §2: a slow baseline never delays another source).
 * <p>
 * Call on {@code context}; the body runs there, in item order; a body that throws fails the returned future and
 * stops the loop. Thread-safe to share between loops of one context.
 */
final class Slices {

  /** Time one slice may take before yielding; well under the 100 ms other work may wait. */
  static final Duration DEFAULT_BUDGET = Duration.ofMillis(5);
  /** Items between two looks at the clock. */
  private static final int CLOCK_EVERY = 32;

  private final Context context;
  private final long budgetNanos;

  Slices(Context context, Duration budget) {
    this.context = Objects.requireNonNull(context, "context");
    this.budgetNanos = budget.toNanos();
  }

  /** Applies {@code body} to every item; completes once the last one is done. */
  <T> Future<Void> forEach(Iterable<? extends T> items, Consumer<? super T> body) {
    Iterator<? extends T> iterator = items.iterator();
    return loop(() -> {
      if (!iterator.hasNext()) {
        return false;
      }
      body.accept(iterator.next());
      return true;
    });
  }

  /** Calls {@code step} until it returns {@code false} (nothing left to do); completes then. */
  Future<Void> loop(BooleanSupplier step) {
    Promise<Void> done = Promise.promise();
    slice(step, done);
    return done.future();
  }

  private void slice(BooleanSupplier step, Promise<Void> done) {
    long deadline = System.nanoTime() + budgetNanos;
    boolean more;
    try {
      int count = 0;
      do {
        more = step.getAsBoolean();
      } while (more && (++count % CLOCK_EVERY != 0 || System.nanoTime() - deadline < 0));
    } catch (RuntimeException e) {
      done.fail(e);
      return;
    }
    if (more) {
      context.runOnContext(v -> slice(step, done));
    } else {
      done.complete();
    }
  }
}
