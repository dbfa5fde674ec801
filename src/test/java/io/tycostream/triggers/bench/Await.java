package io.tycostream.triggers.bench;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Blocking waits for the benchmark thread, which drives the service from outside like a client would. Never call from
 * an event loop.
 */
final class Await {

  /** How often {@link #until} checks its condition. */
  private static final long POLL_MILLIS = 20;

  private Await() {
  }

  /** The future's result, or an {@link IllegalStateException} naming {@code step} when it fails or takes too long. */
  static <T> T result(Future<T> future, Duration timeout, String step) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(step + " interrupted", e);
    } catch (Exception e) {
      throw new IllegalStateException(step + " failed: " + e, e);
    }
  }

  /** Polls {@code condition} until it holds (true) or {@code timeout} passed (false). */
  static boolean until(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      sleep(POLL_MILLIS);
    }
    return true;
  }

  static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
