package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.RowDiff;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.ResumePosition;
import io.tycostream.triggers.source.SourceSnapshot;
import io.tycostream.triggers.source.SourceSnapshotException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.tycostream.triggers.source.materialize.ReaderHarness.await;
import static io.tycostream.triggers.source.materialize.ReaderHarness.awaitCondition;
import static io.tycostream.triggers.source.materialize.ReaderHarness.item;
import static io.tycostream.triggers.source.materialize.ReaderHarness.upsert;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acceptance tests of {@link SubscribeReader#snapshotAtLeast}: a fresh snapshot at the newest time the server offers,
 * which needs no old history, so it works with Materialize's default 1 s retention while changes stream (where a
 * snapshot at an older committed frontier no longer can).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubscribeReaderFreshSnapshotTest {

  private static final int KEYS = 40;
  private static final long WRITE_INTERVAL_MS = 2;
  private static final int BIG_VIEW_ROWS = 100_000;
  private static final int WARM_UP_ROWS = 5_000;
  private static final long MAX_STEP_CPU_MS = 50;

  /** One write of the test's own log: the key's row after it (null: deleted), at the time the emulator gave it. */
  private record Written(long time, int id, Object[] row) {
  }

  private ReaderHarness harness;
  private Thread writer;
  private final AtomicBoolean writing = new AtomicBoolean();

  @AfterEach
  void tearDown() throws InterruptedException {
    writing.set(false);
    if (writer != null) {
      writer.join(5_000);
    }
    if (harness != null) {
      harness.close();
    }
  }

  /**
   * Verifies that while changes stream against the default 1 s retention, a fresh snapshot succeeds at a frontier no
   * lower than asked, its rows are exactly the table's contents at its time (computed from the test's own write log),
   * and the streaming session is left alone; while a snapshot at a frontier older than the retention fails as
   * HISTORY_LOST.
   */
  @Test
  void freshSnapshotWhileChangesStreamEqualsTheTableAtItsTime(Vertx vertx) throws Exception {
    // GIVEN a wall-clock emulator with the default 1 s retention, a running reader, and a writer inserting, updating
    // and deleting random keys every 2 ms
    harness = ReaderHarness.startWithClockOf(vertx, new EmulatorOptions());
    harness.startReader(harness.options());
    harness.awaitBatches(1);
    List<Integer> streamingConnection = harness.emulator.connectionIds();
    List<Written> log = startRandomWriter();
    awaitCondition("writes have streamed for 1.5 s", () -> writtenFor(log) >= 1_500);
    long oldFrontier = firstWrite(log).time() + 1;

    // WHEN a fresh snapshot is taken not before the current upper, then one at the newest time, while writes go on
    BigInteger notBefore = BigInteger.valueOf(harness.emulator.upper("items"));
    SourceSnapshot fresh = await(harness.reader.snapshotAtLeast(notBefore));
    SourceSnapshot newest = await(harness.reader.snapshotAtLeast(null));
    // AND a snapshot at a committed frontier older than the retention is asked for
    SourceSnapshotException lost = failureOf(harness.reader.snapshotAt(BigInteger.valueOf(oldFrontier)));
    writing.set(false);
    writer.join(5_000);

    // THEN each fresh snapshot is the table at its time T = frontier - 1, as the test wrote it, stamped T
    assertThat(fresh.frontier()).isGreaterThanOrEqualTo(notBefore);
    assertThat(fresh.rows()).containsExactlyInAnyOrderElementsOf(tableAt(log, fresh.frontier()));
    assertThat(newest.frontier()).isGreaterThanOrEqualTo(fresh.frontier());
    assertThat(newest.rows()).containsExactlyInAnyOrderElementsOf(tableAt(log, newest.frontier()));
    assertThat(fresh.rows()).isNotEmpty();
    assertThat(fresh.schema()).isEqualTo(ReaderHarness.ITEMS_SCHEMA);
    // AND the old frontier is reported as lost history
    assertThat(lost.kind()).isEqualTo(FailureKind.HISTORY_LOST);
    // AND the streaming session was never replaced, and the snapshot connections are gone
    awaitCondition("only the streaming connection is left",
        () -> harness.emulator.connectionIds().equals(streamingConnection));
    assertThat(harness.consumer.positionsServed()).containsExactly(ResumePosition.snapshot());
  }

  /**
   * Verifies that a fresh snapshot of a 100,000-row view completes with every row, and that it is decoded one FETCH
   * (1,000 rows) at a time, so the event loop running it never spends 50 ms of CPU without serving a 5 ms timer
   * (measured 6–12 ms). Read in one FETCH instead ({@code fetchSize} 200,000), every row is decoded in one
   * event-loop step (measured 110–160 ms of CPU, 370–670 ms wall-clock on the loaded machine) and the test fails.
   */
  @Test
  void freshSnapshotOfABigViewIsDecodedOneFetchAtATime(Vertx vertx) throws Exception {
    // GIVEN a reader that has not started, warmed up (class loading, JIT) by a snapshot of the view's first 5,000
    // rows, after which the view grows to 100,000 rows
    harness = ReaderHarness.start(vertx, new EmulatorOptions());
    harness.reader = new SubscribeReader(vertx, harness.options().setFetchSize(1_000), harness.consumer, null);
    writeItems(1, WARM_UP_ROWS);
    await(harness.reader.snapshotAtLeast(null));
    long written = writeItems(WARM_UP_ROWS + 1, BIG_VIEW_ROWS);

    // WHEN a fresh snapshot runs on an event loop that also serves a 5 ms periodic timer, which records the event
    // loop's CPU time between its ticks (CPU time: a loaded machine's scheduling delays and GC pauses do not count)
    Context loop = vertx.getOrCreateContext();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    AtomicLong longestStepCpuNanos = new AtomicLong();
    AtomicLong longestGapNanos = new AtomicLong();
    Promise<SourceSnapshot> done = Promise.promise();
    long started = System.nanoTime();
    loop.runOnContext(v -> {
      long[] last = {System.nanoTime(), threads.getCurrentThreadCpuTime()};
      long timer = vertx.setPeriodic(5, id -> {
        long now = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        longestGapNanos.accumulateAndGet(now - last[0], Math::max);
        longestStepCpuNanos.accumulateAndGet(cpu - last[1], Math::max);
        last[0] = now;
        last[1] = cpu;
      });
      harness.reader.snapshotAtLeast(null).onComplete(ar -> vertx.cancelTimer(timer)).onComplete(done);
    });
    SourceSnapshot snapshot = await(done.future());
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    // THEN it holds every row once, stamped at its time
    assertThat(snapshot.rows()).hasSize(BIG_VIEW_ROWS);
    assertThat(snapshot.rows().stream().map(Change::key).distinct().count()).isEqualTo(BIG_VIEW_ROWS);
    assertThat(snapshot.frontier()).isGreaterThan(BigInteger.valueOf(written));
    assertThat(snapshot.rows()).allMatch(row -> row.timestamp().equals(snapshot.frontier().subtract(BigInteger.ONE)));
    // AND its event loop never spent long on one step
    long longestStepCpuMs = TimeUnit.NANOSECONDS.toMillis(longestStepCpuNanos.get());
    assertThat(longestStepCpuMs).as("the snapshot took %d ms; between two timer ticks its event loop spent at most"
            + " %d ms of CPU (longest wall-clock gap %d ms)", tookMs, longestStepCpuMs,
        TimeUnit.NANOSECONDS.toMillis(longestGapNanos.get())).isLessThan(MAX_STEP_CPU_MS);
  }

  /** Inserts items {@code from..to} at one time; that time. */
  private long writeItems(int from, int to) {
    List<RowDiff> rows = new ArrayList<>(to - from + 1);
    for (int id = from; id <= to; id++) {
      rows.add(RowDiff.insert(item(id, "item-" + id, String.valueOf(id % 100))));
    }
    return harness.emulator.write("items", harness.emulator.upper("items"), rows);
  }

  /** Starts the writer thread; returns its log (read it only once the writer has stopped or under its lock). */
  private List<Written> startRandomWriter() {
    List<Written> log = new ArrayList<>();
    Map<Integer, Object[]> table = new HashMap<>();
    Random random = new Random(42);
    writing.set(true);
    writer = new Thread(() -> {
      int sequence = 0;
      while (writing.get()) {
        int id = 1 + random.nextInt(KEYS);
        Object[] before = table.get(id);
        Object[] after = before != null && random.nextInt(4) == 0 ? null
            : item(id, "item-" + id + "-v" + (++sequence), String.valueOf(sequence % 1000));
        long time;
        if (before == null) {
          time = harness.emulator.insert("items", after);
        } else if (after == null) {
          time = harness.emulator.delete("items", before);
        } else {
          time = harness.emulator.update("items", before, after);
        }
        table.put(id, after);
        if (after == null) {
          table.remove(id);
        }
        synchronized (log) {
          log.add(new Written(time, id, after));
        }
        try {
          Thread.sleep(WRITE_INTERVAL_MS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "items-writer");
    writer.start();
    return log;
  }

  private static long writtenFor(List<Written> log) {
    synchronized (log) {
      return log.isEmpty() ? 0 : log.get(log.size() - 1).time() - log.get(0).time();
    }
  }

  private static Written firstWrite(List<Written> log) {
    synchronized (log) {
      return log.get(0);
    }
  }

  /** The table after every write at a time below {@code frontier}, one upsert per key stamped frontier - 1. */
  private static List<Change> tableAt(List<Written> log, BigInteger frontier) {
    long t = frontier.longValueExact() - 1;
    Map<Integer, Object[]> table = new HashMap<>();
    synchronized (log) {
      for (Written write : log) {
        if (write.time() <= t) {
          if (write.row() == null) {
            table.remove(write.id());
          } else {
            table.put(write.id(), write.row());
          }
        }
      }
    }
    List<Change> rows = new ArrayList<>();
    table.forEach((id, row) -> rows.add(upsert(id, (String) row[1], row[2].toString(), t)));
    return rows;
  }

  private static SourceSnapshotException failureOf(Future<?> future) throws InterruptedException {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(SourceSnapshotException.class);
      return (SourceSnapshotException) e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the snapshot neither completed nor failed", e);
    }
    throw new AssertionError("the snapshot succeeded, a failure was expected");
  }
}
