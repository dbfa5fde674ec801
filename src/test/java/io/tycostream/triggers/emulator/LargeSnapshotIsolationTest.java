package io.tycostream.triggers.emulator;

import io.tycostream.triggers.testkit.GcPauses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static io.tycostream.triggers.emulator.EmulatorTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies that the emulator stays a fair fixture under a big snapshot: producing and reading 100,000 rows for one
 * subscribe must not hold the emulator's single catalog lock, nor its sessions' event loop, long enough to stall other
 * objects. Latency tests of other sources measured during a big snapshot rely on this.
 * <p>
 * The lock is checked by the longest write call to the other table, less any GC pause during it (the writer thread
 * blocks on the lock; observed at most ~13 ms with the machine under load): under {@value #MAX_STALL_MS} ms. The
 * event loops are checked by the delivery of those writes to the other table's subscriber: its longest delay, less the
 * longest GC pause of the run, under {@value #MAX_DELIVERY_STALL_MS} ms. A percentile cannot filter a hiccup here: at
 * one write per 2 ms, one 86 ms stall of a loaded shared machine (seen once, with the write calls at 7.6 ms) delays
 * 40 writes, a tenth of them; the bound instead sits between such hiccups and the stall it guards against. Without the
 * off-lock formatting of big batches ({@link SubscribeEngine#INLINE_FORMAT_LIMIT} raised past 100,000) a write waits
 * for the whole snapshot to be consolidated and sorted under the lock (measured 213–218 ms on a faster machine) and
 * the test fails on both counts.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LargeSnapshotIsolationTest {

  private static final int SNAPSHOT_ROWS = 100_000;
  private static final long MAX_STALL_MS = 50;
  private static final long MAX_DELIVERY_STALL_MS = 150;
  private static final long WRITE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private MaterializeEmulator emulator;
  private final List<PgConnection> connections = new ArrayList<>();

  @AfterEach
  void stop() {
    connections.forEach(PgConnection::close);
    if (emulator != null) {
      await(emulator.stop());
    }
  }

  /**
   * Verifies that while a 100,000-row snapshot is produced and fetched, another table's writes never wait 50 ms for
   * the emulator's lock and reach that table's waiting subscriber within 150 ms beyond the longest GC pause.
   */
  @Test
  void bigSnapshotDoesNotStallOtherObjects(Vertx vertx) throws Exception {
    // GIVEN a table of 100,000 rows and another table with a subscriber waiting on a FETCH without timeout
    emulator = await(MaterializeEmulator.start(vertx, new EmulatorOptions().setTickMs(0).setStartTime(1_000_000L)));
    emulator.createTable("big", EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("name", PgType.TEXT),
        EmulatorColumn.of("qty", PgType.INT4));
    emulator.createTable("other", EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("v", PgType.TEXT));
    List<RowDiff> rows = new ArrayList<>(SNAPSHOT_ROWS);
    for (int i = 0; i < SNAPSHOT_ROWS; i++) {
      rows.add(RowDiff.insert(i, "item-" + i, i % 97));
    }
    emulator.write("big", emulator.upper("big"), rows);
    Map<Integer, Long> arrivals = new ConcurrentHashMap<>();
    PgConnection otherConnection = subscribe(vertx, "other");
    fetchForever(otherConnection, arrivals);
    PgConnection bigConnection = subscribe(vertx, "big");

    // WHEN a writer commits one row to the other table every 2 ms while the big snapshot is produced and read
    AtomicBoolean writing = new AtomicBoolean(true);
    Map<Integer, Long> written = new ConcurrentHashMap<>();
    List<Long> callNanos = new ArrayList<>();
    Thread writer = new Thread(() -> {
      long next = System.nanoTime();
      for (int id = 0; writing.get(); id++) {
        long gcBefore = gcPauseMillis();
        long before = System.nanoTime();
        emulator.insert("other", id, "v" + id);
        long after = System.nanoTime();
        long gcDuring = gcPauseMillis() - gcBefore;
        written.put(id, after);
        // a GC pause stops every thread and is no lock's doing
        callNanos.add(after - before - TimeUnit.MILLISECONDS.toNanos(gcDuring));
        next += WRITE_INTERVAL_NANOS;
        LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
      }
    }, "other-table-writer");
    writer.start();
    GcPauses gcPauses = new GcPauses();
    Thread.sleep(100);
    long snapshotStarted = System.nanoTime();
    int snapshotRows = await(fetchSnapshot(bigConnection));
    long snapshotMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - snapshotStarted);
    Thread.sleep(100);
    writing.set(false);
    writer.join(5_000);
    long lastWrite = written.keySet().stream().mapToLong(Integer::longValue).max().orElseThrow();
    awaitArrival(arrivals, (int) lastWrite);
    gcPauses.close();

    // THEN the snapshot was complete, and no write to the other table waited or was delivered late
    assertThat(snapshotRows).isEqualTo(SNAPSHOT_ROWS);
    long[] calls = callNanos.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] latencies = written.entrySet().stream()
        .mapToLong(e -> Math.max(0, arrivals.get(e.getKey()) - e.getValue())).sorted().toArray();
    String figures = "snapshot of " + SNAPSHOT_ROWS + " rows took " + snapshotMs + " ms; " + calls.length
        + " writes; write call max " + ms(calls[calls.length - 1]) + " ms; delivery to the other subscriber p50 "
        + ms(latencies[latencies.length / 2]) + " ms, p99 " + ms(latencies[(int) (latencies.length * 0.99)])
        + " ms, max " + ms(latencies[latencies.length - 1]) + " ms; longest GC pause " + gcPauses.longestMs() + " ms";
    System.out.println(figures);
    assertThat(calls.length).as(figures).isGreaterThan(20);
    assertThat(ms(calls[calls.length - 1])).as(figures).isLessThan(MAX_STALL_MS);
    assertThat(ms(latencies[latencies.length - 1]) - gcPauses.longestMs()).as(figures)
        .isLessThan(MAX_DELIVERY_STALL_MS);
  }

  private static long gcPauseMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }

  private PgConnection subscribe(Vertx vertx, String table) {
    PgConnection connection = await(PgConnection.connect(vertx, emulator.connectOptions()));
    connections.add(connection);
    await(connection.query("BEGIN").execute());
    await(connection.query("DECLARE c CURSOR FOR SUBSCRIBE " + table
        + " ENVELOPE UPSERT (KEY (id)) WITH (PROGRESS)").execute());
    return connection;
  }

  /** Keeps a FETCH without timeout in flight, recording when each data row's id arrived. */
  private static void fetchForever(PgConnection connection, Map<Integer, Long> arrivals) {
    connection.query("FETCH 1000 c").execute().onSuccess(result -> {
      long now = System.nanoTime();
      for (Row row : result) {
        if (!row.getBoolean("mz_progressed")) {
          arrivals.put(row.getInteger("id"), now);
        }
      }
      fetchForever(connection, arrivals);
    });
  }

  /** FETCHes 1,000 rows at a time until the progress row that closes the snapshot; the number of data rows. */
  private static Future<Integer> fetchSnapshot(PgConnection connection) {
    Promise<Integer> done = Promise.promise();
    int[] counts = new int[2];
    fetchSnapshotPage(connection, counts, done);
    return done.future();
  }

  private static void fetchSnapshotPage(PgConnection connection, int[] counts, Promise<Integer> done) {
    connection.query("FETCH 1000 c").execute().onFailure(done::fail).onSuccess(result -> {
      for (Row row : result) {
        if (row.getBoolean("mz_progressed")) {
          if (++counts[1] == 2) {
            done.complete(counts[0]);
            return;
          }
        } else {
          counts[0]++;
        }
      }
      fetchSnapshotPage(connection, counts, done);
    });
  }

  private static void awaitArrival(Map<Integer, Long> arrivals, int id) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!arrivals.containsKey(id)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("write " + id + " never reached the other subscriber; arrived: "
            + Arrays.toString(arrivals.keySet().stream().sorted().limit(20).toArray()));
      }
      Thread.sleep(5);
    }
  }
}
