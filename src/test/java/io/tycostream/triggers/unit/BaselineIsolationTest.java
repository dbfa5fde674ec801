package io.tycostream.triggers.unit;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.config.MaterializeConfig;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.SourceType;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.emulator.RowDiff;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredTrigger;
import io.tycostream.triggers.store.TriggerStatus;
import io.tycostream.triggers.store.sqlite.SqliteStore;
import io.tycostream.triggers.store.sqlite.SqliteStoreOptions;
import io.tycostream.triggers.testkit.Blocking;
import io.tycostream.triggers.testkit.GcPauses;
import io.tycostream.triggers.testkit.SourceUnits;
import io.tycostream.triggers.testkit.StoreProxies;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies that baselining a trigger on a 100,000-row view is never one long step: while source A's new trigger is
 * baselined (a fresh snapshot of the whole view, evaluated and staged), the commits of source B and of A's other
 * triggers are delayed by no more than 100 ms, measured from each write's return in the emulator to the durable
 * commit of a frontier past it, against the slowest commit before the baseline started. The emulator, the service and
 * the test share one JVM, so the longest garbage-collection pause during the baseline (which stops every thread, the
 * emulator's too) is allowed on top; the figures are logged.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BaselineIsolationTest {

  private static final Logger LOG = LoggerFactory.getLogger(BaselineIsolationTest.class);
  private static final int VIEW_ROWS = 100_000;
  private static final long ALLOWED_DELAY_MS = 100;

  @TempDir
  Path dataDir;

  /** Durable commits per source: (frontier, nano time). */
  private final Map<String, List<long[]>> commits = new ConcurrentHashMap<>();
  /** Writes per source: (timestamp, nano time after the write returned). */
  private final Map<String, List<long[]>> writes = new ConcurrentHashMap<>();
  private Vertx emulatorVertx;
  private MaterializeEmulator emulator;
  private final List<SourceUnit> units = new ArrayList<>();
  private Store real;

  @AfterEach
  void tearDown() {
    units.forEach(unit -> await(unit.stop()));
    if (real != null) {
      await(real.close());
    }
    if (emulator != null) {
      await(emulator.stop());
    }
    if (emulatorVertx != null) {
      await(emulatorVertx.close());
    }
  }

  /** Verifies the isolation of a large baseline from the other source's and the same source's other commits. */
  @Test
  void aLargeBaselineDoesNotDelayOtherCommitsByMoreThan100Ms(Vertx vertx) throws Exception {
    // GIVEN a view "big" of 100,000 rows and a table "small" (served by an emulator on its own Vert.x, as
    // Materialize is another process), a unit per source, a trigger on each, and writes to both every 4 ms
    emulatorVertx = Vertx.vertx();
    emulator = await(MaterializeEmulator.start(emulatorVertx, new EmulatorOptions().setTickMs(50)
        .setRetentionMs(60_000)));
    emulator.createView("big", EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("qty", PgType.INT8),
        EmulatorColumn.of("note", PgType.TEXT));
    emulator.createTable("small", EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("qty", PgType.INT8),
        EmulatorColumn.of("note", PgType.TEXT));
    List<RowDiff> rows = new ArrayList<>(VIEW_ROWS);
    for (int id = 0; id < VIEW_ROWS; id++) {
      rows.add(RowDiff.insert(id, (long) (id % 200), "row number " + id));
    }
    emulator.write("big", emulator.upper("big"), rows);
    real = await(SqliteStore.open(vertx, new SqliteStoreOptions().setDataDirectory(dataDir), Clock.systemUTC()));
    Store store = StoreProxies.interceptCommits(real, commit -> real.commit(commit).onSuccess(done ->
        commits.computeIfAbsent(commit.source(), s -> new CopyOnWriteArrayList<>())
            .add(new long[] {commit.frontier().longValueExact(), System.nanoTime()})));
    createTrigger(vertx, "a_other", "big", "{\"qty\":{\"_gt\":1000}}", false);
    createTrigger(vertx, "b_one", "small", "{\"qty\":{\"_gt\":1000}}", false);
    for (String source : List.of("big", "small")) {
      SourceUnit unit = SourceUnits.unit(vertx, new SourceConfig(source, SourceType.MATERIALIZE, source,
          List.of("id"), null, new MaterializeConfig("127.0.0.1", emulator.port(), "materialize", "materialize", null,
          null, "disable", null)), store);
      units.add(unit);
      await(unit.start());
    }
    awaitTrue(() -> status("a_other") == TriggerStatus.ACTIVE && status("b_one") == TriggerStatus.ACTIVE,
        Duration.ofSeconds(60));
    AtomicBoolean streaming = new AtomicBoolean(true);
    Thread writer = new Thread(() -> {
      for (int i = 0; i < 20_000 && streaming.get(); i++) {
        write(i % 2 == 0 ? "big" : "small", i);
        Blocking.pause(2);
      }
    }, "isolation-writer");
    writer.start();
    Blocking.pause(3_000);

    // WHEN a trigger matching about half of the view, with include_snapshot, is created on "big" and baselined while
    // the writes go on
    GcPauses pauses = new GcPauses();
    long baselineStarted = System.nanoTime();
    createTrigger(vertx, "a_new", "big", "{\"qty\":{\"_gte\":100}}", true);
    awaitTrue(() -> status("a_new") == TriggerStatus.ACTIVE, Duration.ofSeconds(60));
    long baselineEnded = System.nanoTime();
    long longestGcPauseMs = pauses.longestMs();
    pauses.close();
    Blocking.pause(500);
    streaming.set(false);
    writer.join(10_000);
    awaitTrue(() -> committedPast("big", lastWrite("big")) && committedPast("small", lastWrite("small")),
        Duration.ofSeconds(30));

    // THEN for each source, the commit latency of writes during the baseline exceeds the latency before it by no
    // more than 100 ms
    // (half of the view by its seed quantities, plus the five keys the writes to "big" lifted over the threshold),
    // each with its snapshot FIRE
    assertThat(await(real.loadMatchedState("a_new"))).hasSize(VIEW_ROWS / 2 + 5);
    BigInteger baseline = await(real.getTrigger("a_new")).orElseThrow().baselineFrontier();
    assertThat(await(real.listEvents("a_new", null, VIEW_ROWS)).stream()
        .filter(event -> event.sourceTimestamp().equals(baseline.subtract(BigInteger.ONE)))
        .filter(event -> event.eventType().equals("FIRE"))).hasSize(VIEW_ROWS / 2 + 5);
    for (String source : List.of("small", "big")) {
      Latencies before = latencies(source, 0, baselineStarted);
      Latencies during = latencies(source, baselineStarted, baselineEnded);
      LOG.info("commit latency [source: {}, baseline ms: {}, before: {}, during: {}, longest gc pause ms: {}]", source,
          (baselineEnded - baselineStarted) / 1_000_000, before, during, longestGcPauseMs);
      assertThat(during.count()).as("writes to %s during the baseline", source).isGreaterThan(20);
      assertThat(during.maxMs()).as("%s: the slowest commit during the baseline (before: %s, during: %s, longest gc "
          + "pause: %d ms)", source, before, during, longestGcPauseMs)
          .isLessThanOrEqualTo(before.maxMs() + ALLOWED_DELAY_MS + longestGcPauseMs);
    }
  }

  /** Updates one of the keys 0-9 of {@code source} (inserting it the first time in "small"). */
  private void write(String source, int i) {
    int id = i % 10;
    Map<Integer, Object[]> rows = current.computeIfAbsent(source, s -> new ConcurrentHashMap<>());
    Object[] old = rows.containsKey(id) ? rows.get(id)
        : source.equals("big") ? new Object[] {id, (long) (id % 200), "row number " + id} : null;
    Object[] row = {id, (long) (1_000 + i), "live"};
    long at = old == null ? emulator.insert(source, row) : emulator.update(source, old, row);
    rows.put(id, row);
    writes.computeIfAbsent(source, s -> new CopyOnWriteArrayList<>()).add(new long[] {at, System.nanoTime()});
  }

  /** The row each written key holds now, per source. */
  private final Map<String, Map<Integer, Object[]>> current = new ConcurrentHashMap<>();

  private long lastWrite(String source) {
    List<long[]> done = writes.get(source);
    return done.get(done.size() - 1)[0];
  }

  private boolean committedPast(String source, long timestamp) {
    return commits.getOrDefault(source, List.of()).stream().anyMatch(c -> c[0] > timestamp);
  }

  /** Commit latency of the writes to {@code source} that returned between the two nano times. */
  private Latencies latencies(String source, long fromNanos, long toNanos) {
    List<long[]> committed = commits.getOrDefault(source, List.of());
    long max = 0;
    int count = 0;
    long total = 0;
    for (long[] write : writes.getOrDefault(source, List.of())) {
      if (write[1] < fromNanos || write[1] >= toNanos) {
        continue;
      }
      long committedAt = committed.stream().filter(c -> c[0] > write[0]).mapToLong(c -> c[1]).min()
          .orElseThrow(() -> new AssertionError("no commit past " + write[0] + " on " + source));
      long latency = Math.max(0, committedAt - write[1]);
      max = Math.max(max, latency);
      total += latency;
      count++;
    }
    return new Latencies(count, count == 0 ? 0 : total / count / 1_000_000, max / 1_000_000);
  }

  private record Latencies(int count, long meanMs, long maxMs) {
  }

  private void createTrigger(Vertx vertx, String name, String source, String fire, boolean includeSnapshot) {
    JsonObject definition = new JsonObject().put("name", name).put("source", source)
        .put("webhook", new JsonObject().put("url", "http://127.0.0.1:9/hook")).put("fire", new JsonObject(fire))
        .put("include_snapshot", includeSnapshot);
    await(real.createTrigger(new NewTrigger(name, source, definition.encode(),
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")));
    vertx.eventBus().publish(BusAddresses.TRIGGERS_CHANGED,
        new JsonObject().put("name", name).put("source", source).put("change", "created"));
  }

  private TriggerStatus status(String trigger) {
    return await(real.getTrigger(trigger)).map(StoredTrigger::status).orElse(null);
  }
}
