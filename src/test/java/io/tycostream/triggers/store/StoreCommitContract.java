package io.tycostream.triggers.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tycostream.triggers.store.StoreFixture.NOW;
import static io.tycostream.triggers.store.StoreFixture.await;
import static io.tycostream.triggers.store.StoreFixture.event;
import static io.tycostream.triggers.store.StoreFixture.failureOf;
import static io.tycostream.triggers.store.StoreFixture.trigger;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the source commit as the evaluator uses it: events, matched state and checkpoint written in one
 * transaction or not at all, replays stored once, and a checkpoint that never moves backwards. Runs on every dialect
 * through a subclass that supplies the database.
 */
public abstract class StoreCommitContract extends StoreContract {

  private static final BigInteger F100 = BigInteger.valueOf(100);
  private static final BigInteger F200 = BigInteger.valueOf(200);

  @BeforeEach
  public void createTheTrigger() {
    await(store.createTrigger(trigger("t1")));
  }
  /** Verifies that one commit stores events, state and checkpoint together, readable right after. */
  @Test
  public void commitWritesEventsStateAndCheckpoint() {
    // GIVEN a commit with one FIRE event and one matched key at a frontier beyond 2^63
    BigInteger frontier = new BigInteger("9223372036854775808123");
    NewEvent fire = new NewEvent("3f9a", "t1", "FIRE", new BigInteger("9223372036854775808000"), "[\"A-7\"]",
      "{\"account\":\"A-7\",\"net_position\":10250.5}");

    // WHEN it is committed
    await(store.commit(SourceCommit.of("positions", frontier, List.of(fire),
      List.of(StateChange.matched("t1", "[\"A-7\"]", "{\"account\":\"A-7\",\"net_position\":10250.5}")))));

    // THEN the event is pending and due now, the key is matched and the checkpoint is the frontier
    StoredEvent stored = await(store.getEvent("3f9a")).orElseThrow();
    assertThat(stored.status()).isEqualTo(EventStatus.PENDING);
    assertThat(stored.sourceTimestamp()).isEqualTo(new BigInteger("9223372036854775808000"));
    assertThat(stored.dataJson()).isEqualTo("{\"account\":\"A-7\",\"net_position\":10250.5}");
    assertThat(stored.attempts()).isZero();
    assertThat(stored.nextAttemptAtMs()).isEqualTo(NOW.toEpochMilli());
    assertThat(await(store.loadMatchedState("t1")))
      .containsExactly(Map.entry("[\"A-7\"]", "{\"account\":\"A-7\",\"net_position\":10250.5}"));
    assertThat(await(store.loadCheckpoint("positions"))).contains(frontier);
    assertThat(await(store.loadCheckpoint("other"))).isEmpty();
  }

  /** Verifies that a failure on the last event row rolls back the checkpoint, earlier events and state. */
  @Test
  public void failingEventRowLeavesNothingWritten() throws Exception {
    // GIVEN committed state at frontier 100, and a database that rejects one particular event row
    await(store.commit(SourceCommit.of("positions", F100, List.of(),
      List.of(StateChange.matched("t1", "[1]", "{\"v\":1}")))));
    database.rejectInserts("events", "data_json", "\"poison\"");
    NewEvent poison = new NewEvent("e-poison", "t1", "FIRE", F100, "[3]", "\"poison\"");

    // WHEN a commit at 200 carries two good events, then the poisoned one, and state changes
    Throwable failure = failureOf(store.commit(SourceCommit.of("positions", F200,
      List.of(event("e1", "t1"), event("e2", "t1"), poison),
      List.of(StateChange.cleared("t1", "[1]"), StateChange.matched("t1", "[2]", "{\"v\":2}")))));

    // THEN it fails, and events, state and checkpoint are exactly as before
    assertThat(((StoreException) failure).storeCode()).isEqualTo(StoreErrorCode.CONSTRAINT);
    assertThat(database.count("events")).isZero();
    assertThat(await(store.loadMatchedState("t1"))).containsExactly(Map.entry("[1]", "{\"v\":1}"));
    assertThat(await(store.loadCheckpoint("positions"))).contains(F100);
  }

  /** Verifies that a failure on a state row (written after the events) also rolls back the events. */
  @Test
  public void failingStateRowRollsBackEvents() throws Exception {
    // GIVEN a database that rejects one particular state row
    database.rejectInserts("trigger_state", "row_json", "poison");

    // WHEN a commit carries events and the poisoned state row
    Throwable failure = failureOf(store.commit(SourceCommit.of("positions", F200,
      List.of(event("e1", "t1"), event("e2", "t1")),
      List.of(StateChange.matched("t1", "[1]", "{}"), StateChange.matched("t1", "[2]", "poison")))));

    // THEN nothing of it is stored
    assertThat(failure).isInstanceOf(StoreException.class);
    assertThat(database.count("events")).isZero();
    assertThat(database.count("trigger_state")).isZero();
    assertThat(await(store.loadCheckpoint("positions"))).isEmpty();
  }

  /** Verifies that the checkpoint and state survive closing and reopening the database. */
  @Test
  public void checkpointSurvivesReopen() {
    // GIVEN a commit at frontier 200
    await(store.commit(SourceCommit.of("positions", F200, List.of(event("e1", "t1")),
      List.of(StateChange.matched("t1", "[1]", "{}")))));

    // WHEN the store is closed and a new one opens the same database
    await(store.close());
    store = database.open(vertx);

    // THEN checkpoint, state and event are there
    assertThat(await(store.loadCheckpoint("positions"))).contains(F200);
    assertThat(await(store.loadMatchedState("t1"))).containsOnlyKeys("[1]");
    assertThat(await(store.countEvents(EventStatus.PENDING))).isEqualTo(1);
  }

  /** Verifies that replaying a commit (same event ids, same frontier) stores no duplicates. */
  @Test
  public void replayedCommitDoesNotDuplicateEvents() throws Exception {
    // GIVEN a committed batch
    SourceCommit commit = SourceCommit.of("positions", F200, List.of(event("e1", "t1"), event("e2", "t1")),
      List.of(StateChange.matched("t1", "[1]", "{}")));
    await(store.commit(commit));

    // WHEN the same commit is written again, and a later one repeats e2 next to a new e3
    await(store.commit(commit));
    await(store.commit(SourceCommit.of("positions", BigInteger.valueOf(300),
      List.of(event("e2", "t1"), event("e3", "t1")), List.of())));

    // THEN each event is stored once
    assertThat(database.count("events")).isEqualTo(3);
    assertThat(await(store.loadCheckpoint("positions"))).contains(BigInteger.valueOf(300));
  }

  /** Verifies that a frontier below the stored checkpoint is refused and writes nothing. */
  @Test
  public void refusesCheckpointMovingBackwards() throws Exception {
    // GIVEN a checkpoint at 1000 (longer decimal than 200, so text order alone would be wrong)
    await(store.commit(SourceCommit.of("positions", BigInteger.valueOf(1000), List.of(), List.of())));

    // WHEN a commit at 200 arrives with an event and state
    Throwable failure = failureOf(store.commit(SourceCommit.of("positions", F200, List.of(event("e1", "t1")),
      List.of(StateChange.matched("t1", "[1]", "{}")))));

    // THEN it fails with CONFLICT, and nothing of it is stored
    assertThat(((StoreException) failure).storeCode()).isEqualTo(StoreErrorCode.CONFLICT);
    assertThat(await(store.loadCheckpoint("positions"))).contains(BigInteger.valueOf(1000));
    assertThat(database.count("events")).isZero();
    assertThat(database.count("trigger_state")).isZero();
  }

  /** Verifies that the last change of a key within one commit wins, even when it re-matches a cleared key. */
  @Test
  public void lastStateChangePerKeyWins() {
    // GIVEN keys 1 and 2 matched
    await(store.commit(SourceCommit.of("positions", F100, List.of(),
      List.of(StateChange.matched("t1", "[1]", "{\"v\":1}"), StateChange.matched("t1", "[2]", "{\"v\":2}")))));

    // WHEN one grouped commit clears then re-matches key 1, and updates then clears key 2
    await(store.commit(SourceCommit.of("positions", F200, List.of(), List.of(
      StateChange.cleared("t1", "[1]"), StateChange.matched("t1", "[2]", "{\"v\":22}"),
      StateChange.matched("t1", "[1]", "{\"v\":11}"), StateChange.cleared("t1", "[2]")))));

    // THEN key 1 is matched with its last row and key 2 is cleared
    assertThat(await(store.loadMatchedState("t1"))).containsExactly(Map.entry("[1]", "{\"v\":11}"));
  }

  /** Verifies that a baseline replaces a trigger's state and activates it at the commit frontier. */
  @Test
  public void baselineReplacesStateAndActivatesTrigger() {
    // GIVEN a trigger with a stale matched key
    await(store.commit(SourceCommit.of("positions", F100, List.of(),
      List.of(StateChange.matched("t1", "[old]", "{}")))));

    // WHEN a commit baselines it with two keys
    await(store.commit(new SourceCommit("positions", F200, List.of(), List.of(),
      List.of(new TriggerBaseline("t1", Map.of("[1]", "{\"v\":1}", "[2]", "{\"v\":2}"))), List.of())));

    // THEN its state is exactly the baseline and it is active at 200
    assertThat(await(store.loadMatchedState("t1"))).containsOnlyKeys("[1]", "[2]");
    assertThat(await(store.getTrigger("t1")).orElseThrow().status()).isEqualTo(TriggerStatus.ACTIVE);
    assertThat(await(store.getTrigger("t1")).orElseThrow().baseline()).contains(F200);
  }

  /** Verifies that changes for a trigger deleted meanwhile are dropped while the rest of the commit applies. */
  @Test
  public void dropsChangesOfDeletedTrigger() {
    // GIVEN a second trigger that is then deleted
    await(store.createTrigger(trigger("gone")));
    await(store.deleteTrigger("gone"));

    // WHEN a commit carries events and state for both triggers
    await(store.commit(SourceCommit.of("positions", F200, List.of(event("e1", "t1"), event("e2", "gone")),
      List.of(StateChange.matched("t1", "[1]", "{}"), StateChange.matched("gone", "[1]", "{}")))));

    // THEN only t1's event and state are stored, and the checkpoint moved
    assertThat(await(store.listEvents(null, null, 10))).extracting("eventId").containsExactly("e1");
    assertThat(await(store.loadMatchedState("gone"))).isEmpty();
    assertThat(await(store.loadCheckpoint("positions"))).contains(F200);
  }

  /** Verifies that a commit of 5,000 events and 5,000 state rows is stored completely (time is printed). */
  @Test
  public void commitsFiveThousandEventsAndStateRows() throws Exception {
    // GIVEN 5,000 events and 5,000 matched keys, twice (the second run is on a warm JVM)
    for (int run = 1; run <= 2; run++) {
      List<NewEvent> events = new ArrayList<>();
      List<StateChange> changes = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        String key = "[\"run" + run + "-" + i + "\"]";
        events.add(new NewEvent("r" + run + "-" + i, "t1", "FIRE", BigInteger.valueOf(run * 10_000L + i), key,
          "{\"account\":\"A-" + i + "\",\"net_position\":" + (10_000 + i) + "}"));
        changes.add(StateChange.matched("t1", key, "{\"account\":\"A-" + i + "\"}"));
      }
      SourceCommit commit = SourceCommit.of("positions", BigInteger.valueOf(run * 100_000L), events, changes);

      // WHEN it is committed
      long started = System.nanoTime();
      await(store.commit(commit));
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      System.out.println("commit of 5000 events + 5000 state rows, run " + run + ": " + elapsedMs + " ms");
    }

    // THEN every row is stored
    assertThat(database.count("events")).isEqualTo(10_000);
    assertThat(await(store.loadMatchedState("t1"))).hasSize(10_000);
  }
}
