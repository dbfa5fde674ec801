package io.tycostream.triggers.unit;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.config.MaterializeConfig;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.SourceType;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredEvent;
import io.tycostream.triggers.store.StoredTrigger;
import io.tycostream.triggers.store.TriggerStatus;
import io.tycostream.triggers.store.sqlite.SqliteStore;
import io.tycostream.triggers.store.sqlite.SqliteStoreOptions;
import io.tycostream.triggers.testkit.SourceUnits;
import io.tycostream.triggers.testkit.StoreProxies;
import io.tycostream.triggers.testkit.ThresholdModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies design.md §3.5 for a trigger created while its source streams, when the view keeps only 1 s of history
 * (Materialize's default) and the checkpoint lags the view by more than that, so a snapshot at the committed frontier
 * is impossible: the trigger is baselined from a fresh snapshot, becomes active within 5 s, and then reports exactly
 * the events an independent model computes from every write at or after its baseline frontier — none missed, none
 * spurious around the switch-over — while the trigger that was there before goes on undisturbed.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BaselineWithoutHistoryTest {

  private static final long RETENTION_MS = 1_000;
  private static final int KEYS = 20;

  @TempDir
  Path dataDir;

  private final List<ThresholdModel.Write> writes = new CopyOnWriteArrayList<>();
  private final Map<Integer, Long> table = new HashMap<>();
  private MaterializeEmulator emulator;
  private SourceUnit unit;
  private Store real;
  private Store store;

  @AfterEach
  void tearDown() {
    if (unit != null) {
      await(unit.stop());
    }
    if (real != null) {
      await(real.close());
    }
    if (emulator != null) {
      await(emulator.stop());
    }
  }

  /** Verifies the switch-over from a fresh snapshot while changes stream and the checkpoint lags the history. */
  @Test
  void triggerCreatedWhileChangesStreamGetsExactlyTheEventsAfterItsFreshBaseline(Vertx vertx) throws Exception {
    // GIVEN a view keeping 1 s of history, a store that is slow for now (each commit waits 1.2 s, so the checkpoint
    // stays more than the retention behind the view), a trigger from before the start, and changes streaming at one
    // write every 10 ms
    emulator = await(MaterializeEmulator.start(vertx, new EmulatorOptions().setTickMs(20)
        .setRetentionMs(RETENTION_MS)));
    emulator.createView("positions", EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("qty", PgType.INT8));
    Random random = new Random(7);
    for (int id = 0; id < KEYS; id++) {
      write(id, (long) random.nextInt(200));
    }
    real = await(SqliteStore.open(vertx, new SqliteStoreOptions().setDataDirectory(dataDir), Clock.systemUTC()));
    AtomicLong commitDelayMs = new AtomicLong(1_200);
    store = StoreProxies.slowCommits(vertx, real, commitDelayMs::get);
    createTrigger(vertx, "existing", "{\"qty\":{\"_gt\":150}}", "{\"qty\":{\"_lt\":100}}", false);
    unit = SourceUnits.unit(vertx, new SourceConfig("positions", SourceType.MATERIALIZE, "positions", List.of("id"),
        null, new MaterializeConfig("127.0.0.1", emulator.port(), "materialize", "materialize", null, null,
        "disable", null)), store);
    await(unit.start());
    awaitTrue(() -> status("existing") == TriggerStatus.ACTIVE);
    AtomicBoolean streaming = new AtomicBoolean(true);
    Thread writer = new Thread(() -> {
      Random changes = new Random(11);
      for (int i = 0; i < 1_000 && streaming.get(); i++) {
        write(changes.nextInt(KEYS), (long) changes.nextInt(200));
        io.tycostream.triggers.testkit.Blocking.pause(10);
      }
    }, "positions-writer");
    writer.start();
    awaitTrue(() -> lagMs() > RETENTION_MS + 200 && emulator.since("positions") > checkpoint().longValueExact(),
        Duration.ofSeconds(30));
    BigInteger checkpointAtCreation = checkpoint();
    assertThat(emulator.since("positions")).as("the history below the checkpoint is gone")
        .isGreaterThan(checkpointAtCreation.longValueExact());

    // WHEN two triggers are created while the changes stream: one silent, one with include_snapshot
    long created = System.nanoTime();
    createTrigger(vertx, "fresh", "{\"qty\":{\"_gt\":120}}", null, false);
    createTrigger(vertx, "fresh_snapshot", "{\"qty\":{\"_gt\":120}}", null, true);

    // THEN both become active within 5 s, though the checkpoint stays behind the retained history meanwhile
    awaitTrue(() -> status("fresh") == TriggerStatus.ACTIVE && status("fresh_snapshot") == TriggerStatus.ACTIVE,
        Duration.ofSeconds(5));
    assertThat(Duration.ofNanos(System.nanoTime() - created)).isLessThan(Duration.ofSeconds(5));
    commitDelayMs.set(20);

    // AND WHEN the changes stream on for a while and the service catches up with the last one
    io.tycostream.triggers.testkit.Blocking.pause(1_500);
    streaming.set(false);
    writer.join(10_000);
    long last = writes.get(writes.size() - 1).timestamp();
    awaitTrue(() -> checkpoint().longValueExact() > last, Duration.ofSeconds(90));

    // THEN every trigger's events are exactly those of the model from its own baseline frontier
    assertEventsMatchModel("fresh", new ThresholdModel(120, null), false);
    assertEventsMatchModel("fresh_snapshot", new ThresholdModel(120, null), true);
    assertEventsMatchModel("existing", new ThresholdModel(150, 100L), false);
    // AND the fresh triggers' baseline is newer than the checkpoint they were created at (a fresh snapshot)
    assertThat(baselineFrontier("fresh")).isGreaterThan(checkpointAtCreation);
    assertThat(events("fresh")).isNotEmpty();
  }

  private void assertEventsMatchModel(String trigger, ThresholdModel model, boolean includeSnapshot) {
    BigInteger baseline = baselineFrontier(trigger);
    List<ThresholdModel.Event> expected = new ArrayList<>(model.events(writes, baseline, includeSnapshot));
    expected.sort(Comparator.comparingLong(ThresholdModel.Event::timestamp).thenComparingInt(ThresholdModel.Event::id));
    List<ThresholdModel.Event> actual = events(trigger).stream()
        .map(event -> new ThresholdModel.Event(event.eventType(),
            new io.vertx.core.json.JsonArray(event.keyJson()).getInteger(0), event.sourceTimestamp().longValueExact()))
        .sorted(Comparator.comparingLong(ThresholdModel.Event::timestamp).thenComparingInt(ThresholdModel.Event::id))
        .toList();
    assertThat(actual).as("events of %s (baseline frontier %s)", trigger, baseline).isEqualTo(expected);
  }

  private synchronized void write(int id, Long qty) {
    Long old = table.get(id);
    long at;
    if (old == null) {
      at = emulator.insert("positions", id, qty);
    } else {
      at = emulator.update("positions", new Object[] {id, old}, new Object[] {id, qty});
    }
    table.put(id, qty);
    writes.add(new ThresholdModel.Write(at, id, qty));
  }

  private long lagMs() {
    return emulator.upper("positions") - checkpoint().longValueExact();
  }

  private BigInteger checkpoint() {
    return await(real.loadCheckpoint("positions")).orElse(BigInteger.ZERO);
  }

  private void createTrigger(Vertx vertx, String name, String fire, String clear, boolean includeSnapshot) {
    JsonObject definition = new JsonObject().put("name", name).put("source", "positions")
        .put("webhook", new JsonObject().put("url", "http://127.0.0.1:9/hook"))
        .put("fire", new JsonObject(fire)).put("include_snapshot", includeSnapshot);
    if (clear != null) {
      definition.put("clear", new JsonObject(clear));
    }
    await(real.createTrigger(new NewTrigger(name, "positions", definition.encode(),
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")));
    vertx.eventBus().publish(BusAddresses.TRIGGERS_CHANGED,
        new JsonObject().put("name", name).put("source", "positions").put("change", "created"));
  }

  private TriggerStatus status(String trigger) {
    return await(real.getTrigger(trigger)).map(StoredTrigger::status).orElse(null);
  }

  private BigInteger baselineFrontier(String trigger) {
    return await(real.getTrigger(trigger)).orElseThrow().baselineFrontier();
  }

  private List<StoredEvent> events(String trigger) {
    return await(real.listEvents(trigger, null, 10_000));
  }
}
