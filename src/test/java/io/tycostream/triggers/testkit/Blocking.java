package io.tycostream.triggers.testkit;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits for tests that drive the service from the JUnit thread (never from an event loop): every wait has a
 * deadline and fails the test with a clear message when it passes.
 */
public final class Blocking {

  /** How long {@link #await} and {@link #awaitTrue(BooleanSupplier)} wait by default. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(20);

  private Blocking() {
  }

  /** The future's result, or an AssertionError if it fails or does not complete within {@link #DEFAULT_WAIT}. */
  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(DEFAULT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (Exception e) {
      throw new AssertionError("operation failed: " + e.getMessage(), e);
    }
  }

  /** Polls {@code condition} every 25 ms until it holds, failing after {@link #DEFAULT_WAIT}. */
  public static void awaitTrue(BooleanSupplier condition) {
    awaitTrue(condition, DEFAULT_WAIT);
  }

  /** Polls {@code condition} every 25 ms until it holds, failing after {@code limit}. */
  public static void awaitTrue(BooleanSupplier condition, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + limit.toMillis() + " ms");
      }
      pause(25);
    }
  }

  public static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
