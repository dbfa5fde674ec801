package io.tycostream.triggers.unit;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.config.LoadgenConfig;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.SourceType;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.loadgen.LoadgenOptions;
import io.tycostream.triggers.source.loadgen.PositionsGenerator;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredEvent;
import io.tycostream.triggers.store.StoredTrigger;
import io.tycostream.triggers.store.TriggerStatus;
import io.tycostream.triggers.store.sqlite.SqliteStore;
import io.tycostream.triggers.store.sqlite.SqliteStoreOptions;
import io.tycostream.triggers.testkit.SourceUnits;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the fresh-snapshot baseline with the load generator, whose stream is a pure function of its seed: a
 * trigger created while the source streams becomes active within 5 s, FIREs for the rows matching at its baseline
 * frontier ({@code include_snapshot}), and then reports exactly the transitions of every later change up to the last
 * commit, as recomputed here from the generator's own rows and ticks.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LoadgenBaselineTest {

  private static final BigDecimal THRESHOLD = new BigDecimal(5000);
  private static final LoadgenConfig LOADGEN = new LoadgenConfig(30, 10, 4, 5);

  @TempDir
  Path dataDir;

  private Store store;
  private SourceUnit unit;

  @AfterEach
  void tearDown() {
    if (unit != null) {
      await(unit.stop());
    }
    if (store != null) {
      await(store.close());
    }
  }

  /** Verifies the events of a trigger created on a running load generator against the generator's own stream. */
  @Test
  void triggerCreatedWhileStreamingReportsExactlyTheTransitionsFromItsBaseline(Vertx vertx) {
    // GIVEN a load generator unit (a tick every 10 ms) that has committed some ticks
    store = await(SqliteStore.open(vertx, new SqliteStoreOptions().setDataDirectory(dataDir), Clock.systemUTC()));
    unit = SourceUnits.unit(vertx, new SourceConfig("positions", SourceType.LOADGEN, null, List.of("account"),
        LOADGEN, null), store);
    await(unit.start());
    awaitTrue(() -> checkpoint().compareTo(PositionsGenerator.snapshotFrontier().add(BigInteger.valueOf(500))) > 0);

    // WHEN a trigger with include_snapshot is created while it streams, and it streams on for a while
    long created = System.nanoTime();
    JsonObject definition = new JsonObject().put("name", "fresh").put("source", "positions")
        .put("webhook", new JsonObject().put("url", "http://127.0.0.1:9/hook"))
        .put("fire", new JsonObject().put("net_position", new JsonObject().put("_gt", 5000)))
        .put("include_snapshot", true);
    await(store.createTrigger(new NewTrigger("fresh", "positions", definition.encode(),
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")));
    vertx.eventBus().publish(BusAddresses.TRIGGERS_CHANGED, new JsonObject().put("name", "fresh")
        .put("source", "positions").put("change", "created"));
    awaitTrue(() -> status() == TriggerStatus.ACTIVE, Duration.ofSeconds(5));
    assertThat(Duration.ofNanos(System.nanoTime() - created)).isLessThan(Duration.ofSeconds(5));
    BigInteger baseline = await(store.getTrigger("fresh")).orElseThrow().baselineFrontier();
    awaitTrue(() -> checkpoint().compareTo(baseline.add(BigInteger.valueOf(1_000))) > 0);
    await(unit.stop());
    unit = null;

    // THEN its events are exactly those the generator's rows and ticks produce from the baseline frontier on
    BigInteger last = checkpoint();
    List<String> actual = await(store.listEvents("fresh", null, 100_000)).stream()
        .sorted(Comparator.comparing(StoredEvent::sourceTimestamp).thenComparing(StoredEvent::keyJson))
        .map(event -> event.eventType() + " " + new JsonArray(event.keyJson()).getString(0) + " "
            + event.sourceTimestamp())
        .toList();
    assertThat(actual).isNotEmpty().isEqualTo(expected(baseline, last));
  }

  /** The model: FIRE for rows over the threshold at the baseline, then every transition of the later changes. */
  private static List<String> expected(BigInteger baseline, BigInteger last) {
    PositionsGenerator generator = new PositionsGenerator("positions", new LoadgenOptions()
        .setEntities(LOADGEN.entities()).setIntervalMs(LOADGEN.intervalMs())
        .setChangesPerTick(LOADGEN.changesPerTick()).setSeed(LOADGEN.seed()));
    Set<Object> matched = new HashSet<>();
    List<String> events = new ArrayList<>();
    BigInteger stamp = baseline.subtract(BigInteger.ONE);
    generator.rowsAt(baseline).stream()
        .sorted(Comparator.comparing(change -> (String) change.key().get(0)))
        .filter(change -> above(change))
        .forEach(change -> {
          matched.add(change.key().get(0));
          events.add("FIRE " + change.key().get(0) + " " + stamp);
        });
    for (long tick = generator.tickAt(baseline); generator.tickFrontier(tick).compareTo(last) <= 0; tick++) {
      for (Change change : generator.tickFrom(tick, baseline).changes()) {
        Object account = change.key().get(0);
        boolean was = matched.contains(account);
        boolean now = !change.deleted() && above(change);
        if (was != now) {
          events.add((now ? "FIRE " : "CLEAR ") + account + " " + change.timestamp());
          if (now) {
            matched.add(account);
          } else {
            matched.remove(account);
          }
        }
      }
    }
    return events;
  }

  private static boolean above(Change change) {
    return ((BigDecimal) change.row().get("net_position")).compareTo(THRESHOLD) > 0;
  }

  private BigInteger checkpoint() {
    return await(store.loadCheckpoint("positions")).orElse(BigInteger.ZERO);
  }

  private TriggerStatus status() {
    return await(store.getTrigger("fresh")).map(StoredTrigger::status).orElse(null);
  }

  /**
   * Verifies that triggers created together share snapshots rather than take one each: 200 triggers created one after
   * the other on a running load generator become active within 10 s with at most 20 snapshots taken, and each one's
   * matched keys are exactly the rows over its own threshold at its baseline frontier, after the changes since.
   */
  @Test
  void triggersCreatedTogetherShareOneSnapshot(Vertx vertx) {
    // GIVEN a running load generator unit whose reader counts the fresh snapshots it is asked for
    store = await(SqliteStore.open(vertx, new SqliteStoreOptions().setDataDirectory(dataDir), Clock.systemUTC()));
    SourceConfig config = new SourceConfig("positions", SourceType.LOADGEN, null, List.of("account"), LOADGEN, null);
    java.util.concurrent.atomic.AtomicInteger snapshots = new java.util.concurrent.atomic.AtomicInteger();
    io.tycostream.triggers.source.ChangeSourceFactory counting = (v, consumer, listener) -> {
      io.tycostream.triggers.source.ChangeSource real = io.tycostream.triggers.app.ComponentOptions
          .changeSource(config).create(v, consumer, listener);
      return new CountingSnapshots(real, snapshots);
    };
    unit = new SourceUnit(vertx, "positions", counting, store, SourceUnits.progress("positions"),
        SourceUnits.OWNER);
    await(unit.start());
    awaitTrue(() -> checkpoint().compareTo(PositionsGenerator.snapshotFrontier().add(BigInteger.valueOf(200))) > 0);

    // WHEN 200 triggers with thresholds from 0 to 9,950 are created one after the other
    int count = 200;
    for (int i = 0; i < count; i++) {
      JsonObject definition = new JsonObject().put("name", "t" + i).put("source", "positions")
          .put("webhook", new JsonObject().put("url", "http://127.0.0.1:9/hook"))
          .put("fire", new JsonObject().put("net_position", new JsonObject().put("_gt", i * 50)));
      await(store.createTrigger(new NewTrigger("t" + i, "positions", definition.encode(),
          "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")));
      vertx.eventBus().publish(BusAddresses.TRIGGERS_CHANGED, new JsonObject().put("name", "t" + i)
          .put("source", "positions").put("change", "created"));
    }

    // THEN all are active within 10 s, baselined by a few snapshots, not one each
    awaitTrue(() -> await(store.listTriggersOf("positions")).stream()
        .allMatch(trigger -> trigger.status() == TriggerStatus.ACTIVE), Duration.ofSeconds(10));
    assertThat(snapshots.get()).as("fresh snapshots for %d triggers", count).isLessThanOrEqualTo(count / 10);
    // AND once the unit stopped, each one's matched keys are the rows over its threshold at the last checkpoint
    await(unit.stop());
    unit = null;
    List<Change> rows = new PositionsGenerator("positions", new LoadgenOptions().setEntities(LOADGEN.entities())
        .setIntervalMs(LOADGEN.intervalMs()).setChangesPerTick(LOADGEN.changesPerTick()).setSeed(LOADGEN.seed()))
        .rowsAt(checkpoint());
    for (int i = 0; i < count; i++) {
      BigDecimal threshold = BigDecimal.valueOf(i * 50L);
      List<String> expected = rows.stream()
          .filter(row -> ((BigDecimal) row.row().get("net_position")).compareTo(threshold) > 0)
          .map(row -> new JsonArray().add(row.key().get(0)).encode()).sorted().toList();
      assertThat(await(store.loadMatchedState("t" + i)).keySet().stream().sorted().toList())
          .as("matched keys of t%d", i).isEqualTo(expected);
    }
  }

  /** A source that counts the fresh snapshots asked of it. */
  private record CountingSnapshots(io.tycostream.triggers.source.ChangeSource real,
                                   java.util.concurrent.atomic.AtomicInteger count)
      implements io.tycostream.triggers.source.ChangeSource {

    @Override
    public io.vertx.core.Future<Void> start() {
      return real.start();
    }

    @Override
    public io.vertx.core.Future<Void> stop() {
      return real.stop();
    }

    @Override
    public io.tycostream.triggers.source.SourceStatus status() {
      return real.status();
    }

    @Override
    public io.vertx.core.Future<io.tycostream.triggers.source.SourceSnapshot> snapshotAt(BigInteger frontier) {
      return real.snapshotAt(frontier);
    }

    @Override
    public io.vertx.core.Future<io.tycostream.triggers.source.SourceSnapshot> snapshotAtLeast(BigInteger notBefore) {
      count.incrementAndGet();
      return real.snapshotAtLeast(notBefore);
    }
  }
}
