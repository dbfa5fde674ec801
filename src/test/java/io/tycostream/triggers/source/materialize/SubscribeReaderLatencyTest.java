package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.source.BatchConsumer;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ResumePosition;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.tycostream.triggers.source.materialize.ReaderHarness.await;
import static io.tycostream.triggers.source.materialize.ReaderHarness.item;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How fast a committed change reaches the consumer: single-row writes paced at 1,000 a second against the Materialize
 * wire emulator (whose FETCH waits exactly as Materialize's do, materialize-subscribe.md §2.1), each timed right after
 * the emulator's write returns, against the moment the reader hands the change to its consumer.
 * <p>
 * The reader's FETCH without a timeout returns as soon as the write's rows are there: measured p50 ≈ 0.1 ms, p99
 * 0.3–7 ms, max 10–19 ms on this loaded 2-core machine (per-second p99s 1–7 ms). With the former
 * {@code FETCH 1000 … WITH (timeout = '100ms')} each FETCH collected for the full 100 ms below 1,000 rows per FETCH,
 * so changes waited up to 100 ms: measured p50 ≈ 53 ms, p99 101–149 ms (every per-second p99 above 100 ms), and this
 * test fails. Run it that way with
 * {@code mvn -B test -Dtest=SubscribeReaderLatencyTest -Dlatency.fetchTimeoutMs=100}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubscribeReaderLatencyTest {

  private static final long WRITE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final int WARM_UP_WRITES = 1_000;
  private static final int MEASURED_WRITES = 5_000;
  private static final int WINDOWS = 5;
  private static final double MAX_P99_MS = 10;

  private ReaderHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  /**
   * Verifies that at 1,000 changes a second, 99 % of changes reach the consumer within 10 ms of their commit. The 5 s
   * are judged as five one-second windows, and most (the median) must meet the bound: this machine is shared, and a
   * neighbour can deschedule the reader for tens of milliseconds, which spoils one window, not the design.
   */
  @Test
  void deliversCommittedChangesWithinMilliseconds(Vertx vertx) throws Exception {
    // GIVEN a running reader whose consumer stamps the hand-off time of every change
    harness = ReaderHarness.start(vertx, new EmulatorOptions());
    HandOffClock consumer = new HandOffClock();
    SubscribeOptions options = harness.options();
    String legacyTimeout = System.getProperty("latency.fetchTimeoutMs");
    if (legacyTimeout != null) {
      options.setFetchTimeout(Duration.ofMillis(Long.parseLong(legacyTimeout)));
    }
    harness.reader = new SubscribeReader(vertx, options, consumer, null);
    await(harness.reader.start());
    consumer.awaitHandOffs(1, "the initial snapshot");

    // WHEN single-row writes are paced at one a millisecond: a warm-up, then the measured ones
    long[] writeTimes = new long[WARM_UP_WRITES + MEASURED_WRITES];
    long[] committedNanos = new long[writeTimes.length];
    long next = System.nanoTime();
    for (int i = 0; i < writeTimes.length; i++) {
      LockSupport.parkNanos(next - System.nanoTime());
      writeTimes[i] = harness.emulator.insert("items", item(i, "item-" + i, "1"));
      committedNanos[i] = System.nanoTime();
      next += WRITE_INTERVAL_NANOS;
    }
    consumer.awaitHandOff(writeTimes[writeTimes.length - 1]);

    // THEN in most one-second windows the 99th percentile of commit-to-hand-off latency is below 10 ms
    long[] latencies = new long[MEASURED_WRITES];
    for (int i = 0; i < MEASURED_WRITES; i++) {
      int write = WARM_UP_WRITES + i;
      // the hand-off can beat the write call's return: the write wakes the FETCH before it returns
      latencies[i] = Math.max(0, consumer.handOffNanos(writeTimes[write]) - committedNanos[write]);
    }
    double[] windowP99s = new double[WINDOWS];
    int perWindow = MEASURED_WRITES / WINDOWS;
    for (int w = 0; w < WINDOWS; w++) {
      windowP99s[w] = p99(Arrays.copyOfRange(latencies, w * perWindow, (w + 1) * perWindow));
    }
    double medianWindowP99 = Arrays.stream(windowP99s).sorted().toArray()[WINDOWS / 2];
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    String figures = String.format("commit-to-hand-off latency over %d changes at 1,000/s (fetch timeout: %s):"
            + " p50 %.2f ms, p99 %.2f ms, max %.2f ms; p99 per second %s ms", MEASURED_WRITES,
        legacyTimeout == null ? "none" : legacyTimeout + " ms", ms(sorted[MEASURED_WRITES / 2]), p99(sorted),
        ms(sorted[MEASURED_WRITES - 1]), Arrays.stream(windowP99s).mapToObj(p -> String.format("%.2f", p)).toList());
    System.out.println(figures);
    assertThat(medianWindowP99).as(figures).isLessThan(MAX_P99_MS);
  }

  private static double p99(long[] latencies) {
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return ms(sorted[(int) (sorted.length * 0.99)]);
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }

  /** A consumer that records, per change timestamp, when it was handed over; always starts from a snapshot. */
  private static final class HandOffClock implements BatchConsumer {

    private final Map<Long, Long> handOffs = new ConcurrentHashMap<>();
    private volatile int batches;

    @Override
    public Future<Void> accept(ChangeBatch batch) {
      long now = System.nanoTime();
      for (Change change : batch.changes()) {
        handOffs.put(change.timestamp().longValueExact(), now);
      }
      batches++;
      return Future.succeededFuture();
    }

    @Override
    public Future<ResumePosition> resumePosition() {
      return Future.succeededFuture(ResumePosition.snapshot());
    }

    long handOffNanos(long timestamp) {
      Long at = handOffs.get(timestamp);
      if (at == null) {
        throw new AssertionError("the change at mz_timestamp " + timestamp + " never reached the consumer");
      }
      return at;
    }

    void awaitHandOffs(int count, String what) throws InterruptedException {
      ReaderHarness.awaitCondition(what + " is handed over", () -> batches >= count);
    }

    void awaitHandOff(long timestamp) throws InterruptedException {
      ReaderHarness.awaitCondition("the change at " + timestamp + " is handed over",
          () -> handOffs.containsKey(timestamp));
    }
  }
}
