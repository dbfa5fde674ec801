package io.tycostream.triggers.trigger;

import io.tycostream.triggers.config.MaterializeConfig;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.SourceType;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.source.SourceCodecs;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredEvent;
import io.tycostream.triggers.store.TriggerStatus;
import io.tycostream.triggers.store.sqlite.SqliteStore;
import io.tycostream.triggers.store.sqlite.SqliteStoreOptions;
import io.tycostream.triggers.testkit.DocumentedEventId;
import io.tycostream.triggers.testkit.SourceUnits;
import io.tycostream.triggers.unit.SourceUnit;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies a source unit end to end below the HTTP layer: a Materialize source (the wire emulator) feeding the
 * {@link TriggerVerticle}, which commits events, state and checkpoints to a real SQLite store.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TriggerVerticlePipelineTest {

  private static final String FIRE = "{\"score\":{\"_gte\":100}}";
  private static final String CLEAR = "{\"score\":{\"_lt\":90},\"active\":{\"_eq\":false}}";

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private MaterializeEmulator emulator;
  private Store store;
  private SourceUnit unit;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    SourceCodecs.register(vertx.eventBus());
    emulator = await(MaterializeEmulator.start(vertx, new EmulatorOptions().setTickMs(20).setRetentionMs(600_000)));
    emulator.createTable("scores", EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("score", PgType.INT4),
        EmulatorColumn.of("active", PgType.BOOL));
    openStore();
  }

  @AfterEach
  void tearDown() {
    stopPipeline();
    await(store.close());
    await(emulator.stop());
  }

  /**
   * Verifies tycostream's integration scenario with hysteresis: every FIRE and CLEAR arrives once, with the row that
   * caused it, and event ids are the documented hash of trigger, canonical key and mz_timestamp.
   */
  @Test
  void firesAndClearsWithHysteresisExactlyOnce() {
    // GIVEN a trigger created before the source ever ran, and the pipeline started
    createTrigger("score_alert", false);
    startPipeline();
    awaitActive("score_alert");

    // WHEN the scenario's changes happen, each at its own timestamp
    long t1 = emulator.insert("scores", 1, 150, true);
    long t2 = emulator.update("scores", new Object[] {1, 150, true}, new Object[] {1, 160, false});
    long t3 = emulator.update("scores", new Object[] {1, 160, false}, new Object[] {1, 80, false});
    long t4 = emulator.update("scores", new Object[] {1, 80, false}, new Object[] {1, 120, true});
    long t5 = emulator.insert("scores", 2, 200, true);
    long t6 = emulator.delete("scores", 1, 120, true);
    awaitTrue(() -> events("score_alert").size() >= 5 && checkpointPast(t6));

    // THEN exactly these events were committed, in this order, with the documented ids
    List<StoredEvent> events = events("score_alert");
    assertThat(events).extracting(StoredEvent::eventType)
        .containsExactly("FIRE", "CLEAR", "FIRE", "FIRE", "CLEAR");
    assertThat(events).extracting(e -> e.sourceTimestamp().longValue()).containsExactly(t1, t3, t4, t5, t6);
    assertThat(events).extracting(e -> new JsonObject(e.dataJson())).containsExactly(
        row(1, 150, true), row(1, 80, false), row(1, 120, true), row(2, 200, true), row(1, 120, true));
    assertThat(events).extracting(StoredEvent::eventId).containsExactly(
        DocumentedEventId.of("score_alert", "[1]", t1), DocumentedEventId.of("score_alert", "[1]", t3),
        DocumentedEventId.of("score_alert", "[1]", t4), DocumentedEventId.of("score_alert", "[2]", t5),
        DocumentedEventId.of("score_alert", "[1]", t6));
    assertThat(t2).isBetween(t1, t3);
  }

  /**
   * Verifies that a trigger created while its source streams records rows that already match as matched without
   * events, then fires and clears correctly for later changes, and that another trigger is not disturbed.
   */
  @Test
  void triggerCreatedOnRunningSourceStartsFromTheCommittedState() {
    // GIVEN a running pipeline with one trigger, and rows 1 (matching) and 2 (not matching)
    createTrigger("first", false);
    startPipeline();
    awaitActive("first");
    emulator.insert("scores", 1, 150, true);
    long t2 = emulator.insert("scores", 2, 50, true);
    awaitTrue(() -> events("first").size() == 1 && checkpointPast(t2));

    // WHEN a second trigger is created while the source streams, and later changes happen
    createTrigger("second", false);
    awaitActive("second");
    long t3 = emulator.update("scores", new Object[] {2, 50, true}, new Object[] {2, 130, true});
    long t4 = emulator.update("scores", new Object[] {1, 150, true}, new Object[] {1, 10, false});
    awaitTrue(() -> events("second").size() >= 2 && checkpointPast(t4));

    // THEN the second trigger saw no event for row 1 that already matched, but FIRE for 2 and CLEAR for 1
    List<StoredEvent> second = events("second");
    assertThat(second).extracting(StoredEvent::eventType).containsExactly("FIRE", "CLEAR");
    assertThat(second).extracting(e -> e.sourceTimestamp().longValue()).containsExactly(t3, t4);
    // AND the first trigger went on as before: FIRE 1, FIRE 2, CLEAR 1
    assertThat(events("first")).extracting(StoredEvent::eventType).containsExactly("FIRE", "FIRE", "CLEAR");
  }

  /**
   * Verifies that a restart without a crash keeps triggers, matched state and the checkpoint: nothing repeats and a
   * change made while the service was down is evaluated against the state from before.
   */
  @Test
  void restartKeepsStateAndCheckpointWithoutRepeats() {
    // GIVEN a pipeline that fired for row 1
    createTrigger("score_alert", false);
    startPipeline();
    awaitActive("score_alert");
    long t1 = emulator.insert("scores", 1, 150, true);
    awaitTrue(() -> events("score_alert").size() == 1 && checkpointPast(t1));

    // WHEN the service stops, a change happens meanwhile, and the service starts again on the same store file
    stopPipeline();
    await(store.close());
    long t2 = emulator.update("scores", new Object[] {1, 150, true}, new Object[] {1, 10, false});
    openStore();
    startPipeline();
    awaitTrue(() -> checkpointPast(t2) && events("score_alert").size() >= 2);

    // THEN the CLEAR was seen (the matched state survived) and the FIRE was not repeated
    assertThat(events("score_alert")).extracting(StoredEvent::eventType).containsExactly("FIRE", "CLEAR");
    assertThat(events("score_alert")).extracting(e -> e.sourceTimestamp().longValue()).containsExactly(t1, t2);
  }

  /**
   * Verifies design.md §3.4: when the history since the checkpoint is compacted away while the service is down, the
   * source re-subscribes with a fresh snapshot and each trigger is reconciled against it: FIRE for rows that now match,
   * CLEAR (with the last known row) for matched rows that are gone, nothing for rows that stayed matched.
   */
  @Test
  void reconcilesAgainstAFreshSnapshotWhenHistoryIsLost() {
    // GIVEN a pipeline whose trigger (score >= 100, clear score < 90 and not active) matches rows 1 and 3
    createTrigger("score_alert", false);
    startPipeline();
    awaitActive("score_alert");
    emulator.insert("scores", 1, 150, true);
    emulator.insert("scores", 2, 50, true);
    long t3 = emulator.insert("scores", 3, 160, false);
    awaitTrue(() -> events("score_alert").size() == 2 && checkpointPast(t3));

    // WHEN, while the service is down, row 1 changes but stays matched, row 2 starts matching, row 3 is deleted,
    // row 4 appears matching, and the history of all that is compacted away
    stopPipeline();
    emulator.update("scores", new Object[] {1, 150, true}, new Object[] {1, 170, true});
    emulator.update("scores", new Object[] {2, 50, true}, new Object[] {2, 120, true});
    emulator.delete("scores", 3, 160, false);
    long t4 = emulator.insert("scores", 4, 300, true);
    emulator.advance("scores", t4 + 10);
    emulator.compact("scores", emulator.upper("scores"));
    startPipeline();
    awaitTrue(() -> events("score_alert").size() >= 5);

    // THEN the gap is reconciled with one event per key whose state differs, stamped with the snapshot's time
    List<StoredEvent> reconciled = events("score_alert").subList(2, 5);
    assertThat(reconciled).extracting(StoredEvent::eventType, e -> new JsonObject(e.dataJson()))
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("FIRE", row(2, 120, true)),
            org.assertj.core.groups.Tuple.tuple("CLEAR", row(3, 160, false)),
            org.assertj.core.groups.Tuple.tuple("FIRE", row(4, 300, true)));
    assertThat(reconciled).extracting(StoredEvent::sourceTimestamp).containsOnly(reconciled.get(0).sourceTimestamp());
    assertThat(reconciled.get(0).sourceTimestamp().longValue()).isGreaterThan(t4);

    // AND the stream goes on from there: row 1 clearing is reported normally
    long t5 = emulator.update("scores", new Object[] {1, 170, true}, new Object[] {1, 10, false});
    awaitTrue(() -> events("score_alert").size() >= 6);
    StoredEvent last = events("score_alert").get(5);
    assertThat(last.eventType()).isEqualTo("CLEAR");
    assertThat(last.sourceTimestamp().longValue()).isEqualTo(t5);
    assertThat(events("score_alert")).hasSize(6);
  }

  private void openStore() {
    store = await(SqliteStore.open(vertx, new SqliteStoreOptions().setDataDirectory(dataDir), Clock.systemUTC()));
  }

  private void startPipeline() {
    unit = SourceUnits.unit(vertx, new SourceConfig("scores", SourceType.MATERIALIZE, "scores", List.of("id"), null,
        new MaterializeConfig("127.0.0.1", emulator.port(), "materialize", "materialize", null, null, "disable",
            null)), store);
    await(unit.start());
  }

  private void stopPipeline() {
    if (unit != null) {
      await(unit.stop());
      unit = null;
    }
  }

  private void createTrigger(String name, boolean includeSnapshot) {
    String definition = "{\"name\":\"" + name + "\",\"source\":\"scores\",\"webhook\":{\"url\":\"http://127.0.0.1:9/x\"},"
        + "\"fire\":" + FIRE + ",\"clear\":" + CLEAR + ",\"include_snapshot\":" + includeSnapshot + "}";
    await(store.createTrigger(new NewTrigger(name, "scores", definition,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")));
    vertx.eventBus().publish(io.tycostream.triggers.bus.BusAddresses.TRIGGERS_CHANGED,
        new JsonObject().put("name", name).put("source", "scores").put("change", "created"));
  }

  /** Waits until the trigger has its baseline: only changes after that point are its to report. */
  private void awaitActive(String trigger) {
    awaitTrue(() -> await(store.getTrigger(trigger)).orElseThrow().status() == TriggerStatus.ACTIVE);
  }

  private List<StoredEvent> events(String trigger) {
    return await(store.listEvents(trigger, (EventStatus) null, 1000)).stream()
        .sorted(Comparator.comparing(StoredEvent::sourceTimestamp))
        .toList();
  }

  private boolean checkpointPast(long time) {
    return await(store.loadCheckpoint("scores")).map(f -> f.longValue() > time).orElse(false);
  }

  private static JsonObject row(int id, int score, boolean active) {
    return new JsonObject().put("id", id).put("score", score).put("active", active);
  }
}
