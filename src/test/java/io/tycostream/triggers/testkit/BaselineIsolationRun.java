package io.tycostream.triggers.testkit;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.config.MaterializeConfig;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.SourceType;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.emulator.RowDiff;
import io.tycostream.triggers.unit.SourceUnit;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredTrigger;
import io.tycostream.triggers.store.TriggerStatus;
import io.tycostream.triggers.store.sqlite.SqliteStore;
import io.tycostream.triggers.store.sqlite.SqliteStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;

/**
 * Measures how much baselining a trigger on a 100,000-row view delays the commits around it: a view "big" and a
 * table "small" (served by an emulator on its own Vert.x, as Materialize is another process), a source unit each on a
 * real SQLite store, a trigger on each, and writes to both every 2 ms; then a trigger matching half of the view, with
 * {@code include_snapshot}, is created on "big" and baselined while the writes go on. Commit latency is measured from
 * each write's return in the emulator to the durable commit of a frontier past it, before and during the baseline.
 * The emulator, the service and the caller share one JVM, so the longest garbage-collection pause during the baseline
 * (which stops every thread, the emulator's too) is reported beside the figures. Used by {@code BaselineIsolationTest}
 * (a baseline is never one long step) and by the benchmark ({@code baseline_extra_commit_ms}, goal 100 ms).
 */
public final class BaselineIsolationRun implements AutoCloseable {

  public static final int VIEW_ROWS = 100_000;
  private static final int WRITES_MAX = 20_000;

  /** Durable commits per source: (frontier, nano time). */
  private final Map<String, List<long[]>> commits = new ConcurrentHashMap<>();
  /** Writes per source: (timestamp, nano time after the write returned). */
  private final Map<String, List<long[]>> writes = new ConcurrentHashMap<>();
  /** The row each written key holds now, per source. */
  private final Map<String, Map<Integer, Object[]>> current = new ConcurrentHashMap<>();
  private final List<SourceUnit> units = new ArrayList<>();
  private final Vertx vertx;
  private final Path dataDir;
  private Vertx emulatorVertx;
  private MaterializeEmulator emulator;
  private Store real;

  /** Commit latency of the writes of one source in one window. */
  public record Latencies(int count, long meanMs, long maxMs) {
  }

  /**
   * What one run measured.
   *
   * @param before         per source, the writes before the baseline started
   * @param during         per source, the writes while the new trigger was baselined
   * @param matched        keys the new trigger holds matched afterwards
   * @param snapshotFires  its FIRE events at the snapshot's timestamp (its baseline frontier minus one)
   */
  public record Result(long baselineMs, long longestGcPauseMs, Map<String, Latencies> before,
      Map<String, Latencies> during, int matched, long snapshotFires) {

    /** The new trigger's expected matches: half of the view by its seed quantities plus the five keys lifted. */
    public static final int EXPECTED_MATCHED = VIEW_ROWS / 2 + 5;

    /**
     * The worst, over both sources, of the slowest commit during the baseline less the slowest before it and the
     * longest GC pause; 0 when none was slower.
     */
    public long extraCommitMs() {
      return Math.max(0, during.keySet().stream()
          .mapToLong(source -> during.get(source).maxMs() - before.get(source).maxMs() - longestGcPauseMs)
          .max().orElse(0));
    }

    public JsonObject json() {
      JsonObject sources = new JsonObject();
      during.keySet().forEach(source -> sources.put(source, new JsonObject()
          .put("before", latencyJson(before.get(source))).put("during", latencyJson(during.get(source)))));
      return new JsonObject().put("view_rows", VIEW_ROWS).put("baseline_ms", baselineMs)
          .put("longest_gc_pause_ms", longestGcPauseMs).put("matched", matched).put("snapshot_fires", snapshotFires)
          .put("extra_commit_ms", extraCommitMs()).put("sources", sources);
    }

    private static JsonObject latencyJson(Latencies latencies) {
      return new JsonObject().put("writes", latencies.count()).put("mean_ms", latencies.meanMs())
          .put("max_ms", latencies.maxMs());
    }
  }

  public BaselineIsolationRun(Vertx vertx, Path dataDir) {
    this.vertx = vertx;
    this.dataDir = dataDir;
  }

  /** Runs the whole measurement once; blocks (call it from a test or benchmark thread, never an event loop). */
  public Result run() throws InterruptedException {
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
    createTrigger("a_other", "big", "{\"qty\":{\"_gt\":1000}}", false);
    createTrigger("b_one", "small", "{\"qty\":{\"_gt\":1000}}", false);
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
      for (int i = 0; i < WRITES_MAX && streaming.get(); i++) {
        write(i % 2 == 0 ? "big" : "small", i);
        Blocking.pause(2);
      }
    }, "isolation-writer");
    writer.start();
    Blocking.pause(3_000);

    long baselineStarted;
    long baselineEnded;
    long longestGcPauseMs;
    try (GcPauses pauses = new GcPauses()) {
      baselineStarted = System.nanoTime();
      createTrigger("a_new", "big", "{\"qty\":{\"_gte\":100}}", true);
      awaitTrue(() -> status("a_new") == TriggerStatus.ACTIVE, Duration.ofSeconds(60));
      baselineEnded = System.nanoTime();
      longestGcPauseMs = pauses.longestMs();
    }
    Blocking.pause(500);
    streaming.set(false);
    writer.join(10_000);
    awaitTrue(() -> committedPast("big", lastWrite("big")) && committedPast("small", lastWrite("small")),
        Duration.ofSeconds(30));

    int matched = await(real.loadMatchedState("a_new")).size();
    BigInteger snapshotTimestamp = await(real.getTrigger("a_new")).orElseThrow().baselineFrontier()
        .subtract(BigInteger.ONE);
    long snapshotFires = await(real.listEvents("a_new", null, VIEW_ROWS)).stream()
        .filter(event -> event.sourceTimestamp().equals(snapshotTimestamp))
        .filter(event -> event.eventType().equals("FIRE")).count();
    Map<String, Latencies> before = new LinkedHashMap<>();
    Map<String, Latencies> during = new LinkedHashMap<>();
    for (String source : List.of("small", "big")) {
      before.put(source, latencies(source, 0, baselineStarted));
      during.put(source, latencies(source, baselineStarted, baselineEnded));
    }
    return new Result((baselineEnded - baselineStarted) / 1_000_000, longestGcPauseMs, before, during, matched,
        snapshotFires);
  }

  @Override
  public void close() {
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

  private void createTrigger(String name, String source, String fire, boolean includeSnapshot) {
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
