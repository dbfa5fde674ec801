package io.tycostream.triggers.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.store.DeliveryAttempt;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.OutboxOutcome;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Verifies that outcomes are recorded in batches that follow the answers closely: everything recorded within one
 * flush interval goes into one transaction, a single outcome is written within a few milliseconds, an outcome counts
 * as durable only once its transaction is, and a store that refuses a batch gets it again.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OutcomeWriterTest {

  private static final long FLUSH_MS = 5;
  private static final long GIVE_UP_MS = 30_000;

  /** The transactions a store proxy was asked for, each completed by the test or at once. */
  private final List<List<OutboxOutcome>> transactions = new CopyOnWriteArrayList<>();
  private final List<Promise<Void>> open = new CopyOnWriteArrayList<>();
  private final AtomicBoolean holdTransactions = new AtomicBoolean();
  /** The one event-loop context the writer runs on, as in the delivery verticle. */
  private Context context;

  @BeforeEach
  void onOneContext(Vertx vertx) {
    context = vertx.getOrCreateContext();
  }

  /** Verifies that outcomes recorded together are written in one transaction, and only one is open at a time. */
  @Test
  void writesTheOutcomesOfAFlushIntervalInOneTransaction(Vertx vertx) throws Exception {
    // GIVEN a writer over a store whose transactions the test completes
    holdTransactions.set(true);
    OutcomeWriter writer = onContext(() -> new OutcomeWriter(vertx, store(), FLUSH_MS, 512, GIVE_UP_MS,
      System::currentTimeMillis));

    // WHEN 200 outcomes are recorded at once, then 50 more while their transaction is open
    List<Future<Void>> first = onContext(() -> record(writer, 0, 200));
    awaitUntil(() -> transactions.size() == 1);
    List<Future<Void>> second = onContext(() -> record(writer, 200, 50));
    Thread.sleep(50);

    // THEN the 200 went in one transaction, nothing is durable before it commits, and the 50 wait for it
    assertThat(transactions).singleElement().satisfies(batch -> assertThat(batch).hasSize(200));
    assertThat(first).noneMatch(Future::isComplete);
    end(0, null);
    awaitUntil(() -> first.stream().allMatch(Future::succeeded));
    awaitUntil(() -> transactions.size() == 2);
    assertThat(transactions.get(1)).hasSize(50);
    assertThat(second).noneMatch(Future::isComplete);
    end(1, null);
    awaitUntil(() -> second.stream().allMatch(Future::succeeded));
  }

  /** Verifies that a lone outcome is durable within a few flush intervals, not after a long delay. */
  @Test
  void writesALoneOutcomeWithinMilliseconds(Vertx vertx) throws Exception {
    // GIVEN a writer over a store that commits at once, warmed up
    OutcomeWriter writer = onContext(() -> new OutcomeWriter(vertx, store(), FLUSH_MS, 512, GIVE_UP_MS,
      System::currentTimeMillis));
    onContext(() -> record(writer, 0, 1)).get(0).await(10, TimeUnit.SECONDS);

    // WHEN single outcomes are recorded one after the other
    List<Long> lags = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      long started = System.nanoTime();
      Future<Void> durable = onContext(() -> record(writer, lags.size() + 1, 1)).get(0);
      durable.await(10, TimeUnit.SECONDS);
      lags.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    // THEN each was durable about one flush interval later (a generous bound for a loaded machine)
    lags.sort(null);
    assertThat(lags.get(lags.size() / 2)).as("median lag, all lags %s", lags).isLessThanOrEqualTo(50);
  }

  /** Verifies that a batch the store refuses is written again, and its outcomes are durable only then. */
  @Test
  void retriesABatchTheStoreRefused(Vertx vertx) throws Exception {
    // GIVEN a writer over a store whose first transaction fails
    holdTransactions.set(true);
    OutcomeWriter writer = onContext(() -> new OutcomeWriter(vertx, store(), FLUSH_MS, 512, GIVE_UP_MS,
      System::currentTimeMillis));
    List<Future<Void>> outcomes = onContext(() -> record(writer, 0, 3));
    awaitUntil(() -> transactions.size() == 1);

    // WHEN it fails, and the retry succeeds
    end(0, new StoreException(StoreErrorCode.UNAVAILABLE, "disk I/O error"));
    awaitUntil(() -> transactions.size() == 2);
    assertThat(outcomes).noneMatch(Future::isComplete);
    end(1, null);

    // THEN the same three outcomes were written again and are now durable
    awaitUntil(() -> outcomes.stream().allMatch(Future::succeeded));
    assertThat(transactions.get(1)).containsExactlyElementsOf(transactions.get(0));
  }

  private List<Future<Void>> record(OutcomeWriter writer, int from, int count) {
    List<Future<Void>> durable = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      durable.add(writer.record(OutboxOutcome.delivered(claimed("e" + i), new DeliveryAttempt(Instant.now(), 1,
        204, null))));
    }
    return durable;
  }

  private static StoredEvent claimed(String id) {
    return new StoredEvent(id, "t", "FIRE", BigInteger.ONE, "[1]", "{}", EventStatus.PENDING, 0, 0, 1_000,
      Instant.EPOCH, null, null, "incarnation", 1);
  }

  /** A store that only takes outcome transactions, completing them at once or when the test says. */
  private Store store() {
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
      (proxy, method, args) -> {
        if (!method.getName().equals("recordOutcomes")) {
          throw new UnsupportedOperationException(method.getName());
        }
        @SuppressWarnings("unchecked")
        List<OutboxOutcome> batch = List.copyOf((List<OutboxOutcome>) args[0]);
        transactions.add(batch);
        Promise<Void> done = Promise.promise();
        open.add(done);
        if (!holdTransactions.get()) {
          done.complete();
        }
        return done.future();
      });
  }

  /** Runs {@code work} on the writer's context and returns its result. */
  private <T> T onContext(Callable<T> work) throws Exception {
    Promise<T> result = Promise.promise();
    context.runOnContext(ignored -> {
      try {
        result.complete(work.call());
      } catch (Exception e) {
        result.fail(e);
      }
    });
    return result.future().await(10, TimeUnit.SECONDS);
  }

  /** Ends the {@code index}th transaction on the writer's context, with {@code failure} or successfully. */
  private void end(int index, Throwable failure) throws Exception {
    onContext(() -> failure == null ? open.get(index).tryComplete() : open.get(index).tryFail(failure));
  }

  private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in time");
      }
      Thread.sleep(5);
    }
  }
}
