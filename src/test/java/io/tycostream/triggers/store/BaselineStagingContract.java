package io.tycostream.triggers.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tycostream.triggers.store.StoreFixture.NOW;
import static io.tycostream.triggers.store.StoreFixture.await;
import static io.tycostream.triggers.store.StoreFixture.event;
import static io.tycostream.triggers.store.StoreFixture.trigger;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the staged baseline of a trigger created on a running source: its matched keys and snapshot FIREs are
 * written in chunks while it awaits its baseline, nothing of it is delivered until a commit activates it, a failed
 * attempt's leftovers can be cleared in slices, and nothing is staged for a trigger that is active or gone.
 * Runs on every dialect through a subclass that supplies the database.
 */
public abstract class BaselineStagingContract extends StoreContract {

  private static final BigInteger B = BigInteger.valueOf(500);
  private static final long T0 = NOW.toEpochMilli();

  @BeforeEach
  public void createTheTrigger() {
    await(store.createTrigger(trigger("t1")));
  }
  /** Verifies that staged FIREs wait for the activation, which makes the staged keys the trigger's state. */
  @Test
  public void stagedEventsAreDeliveredOnlyOnceTheTriggerIsActivated() {
    // GIVEN a checkpoint, and a trigger awaiting its baseline with two keys and one FIRE staged in two chunks
    await(store.commit(SourceCommit.of("positions", BigInteger.valueOf(400), List.of(), List.of())));
    await(store.stageBaselines(List.of(staged("t1", Map.of("[1]", "{\"v\":1}"), event("e1", "t1"))), B));
    await(store.stageBaselines(List.of(staged("t1", Map.of("[2]", "{\"v\":2}"))), B));

    // WHEN delivery looks for due events
    // THEN the staged FIRE is neither claimed nor announced as due
    assertThat(await(store.claimDue("c", T0 + 1_000, 10, 30_000, Set.of()))).isEmpty();
    assertThat(await(store.nextDueAt(T0 + 1_000, Set.of()))).isEmpty();

    // AND WHEN a commit activates it at B with a catch-up change of key 2
    await(store.commit(new SourceCommit("positions", BigInteger.valueOf(400), List.of(),
        List.of(StateChange.cleared("t1", "[2]")), List.of(), List.of(new TriggerActivation("t1", B)))));

    // THEN it is active at B, its state is the staged keys with the catch-up applied, and its FIRE is claimable
    assertThat(await(store.getTrigger("t1")).orElseThrow().status()).isEqualTo(TriggerStatus.ACTIVE);
    assertThat(await(store.getTrigger("t1")).orElseThrow().baselineFrontier()).isEqualTo(B);
    assertThat(await(store.loadMatchedState("t1"))).containsOnlyKeys("[1]");
    assertThat(await(store.claimDue("c", T0 + 1_000, 10, 30_000, Set.of()))).extracting(StoredEvent::eventId).containsExactly("e1");
    // AND nothing more can be staged for it
    await(store.stageBaselines(List.of(staged("t1", Map.of("[3]", "{\"v\":3}"))), B));
    assertThat(await(store.loadMatchedState("t1"))).containsOnlyKeys("[1]");
  }

  /**
   * Verifies that an unfinished attempt's staged keys and FIREs are cleared in slices, for several triggers at once,
   * and only while they await their baseline.
   */
  @Test
  public void clearsAnUnfinishedAttemptInSlices() {
    // GIVEN three keys and two FIREs staged for two triggers by an attempt that did not finish, and an active trigger
    await(store.createTrigger(trigger("t2")));
    await(store.createTrigger(trigger("active")));
    await(store.stageBaselines(List.of(staged("t1", Map.of("[1]", "{}", "[2]", "{}"), event("e1", "t1")),
        staged("t2", Map.of("[3]", "{}"), event("e2", "t2")), staged("active", Map.of("[9]", "{}"))), B));
    await(store.markBaselined("active", B));

    // WHEN they are cleared two at a time
    List<String> names = List.of("t1", "t2", "active");
    int first = await(store.clearStagedBaselines(names, 2));
    int second = await(store.clearStagedBaselines(names, 2));
    int third = await(store.clearStagedBaselines(names, 2));

    // THEN each slice removes at most two of each, until nothing staged is left; the active trigger keeps its state
    assertThat(List.of(first, second, third)).containsExactly(2, 1, 0);
    assertThat(await(store.loadMatchedState("t1"))).isEmpty();
    assertThat(await(store.loadMatchedState("t2"))).isEmpty();
    assertThat(await(store.listEvents(null, null, 10))).isEmpty();
    assertThat(await(store.loadMatchedState("active"))).containsOnlyKeys("[9]");
    // AND nothing is staged for a trigger that no longer exists
    await(store.deleteTrigger("t1"));
    await(store.stageBaselines(List.of(staged("t1", Map.of("[1]", "{}"), event("e3", "t1"))), B));
    assertThat(await(store.listEvents("t1", null, 10))).isEmpty();
    assertThat(await(store.clearStagedBaselines(List.of("t1"), 2))).isZero();
  }

  /**
   * Verifies that a commit baselining the trigger from a snapshot batch (history lost meanwhile) supersedes a
   * fresh-snapshot attempt: its staged FIREs are gone, so none of them is ever delivered beside the commit's own.
   */
  @Test
  public void aSnapshotBaselineSupersedesStagedEvents() {
    // GIVEN a staged key and FIRE
    await(store.stageBaselines(List.of(staged("t1", Map.of("[1]", "{}"), event("staged", "t1"))), B));

    // WHEN a commit baselines the trigger with its own key and FIRE
    await(store.commit(new SourceCommit("positions", BigInteger.valueOf(600), List.of(event("own", "t1")), List.of(),
        List.of(new TriggerBaseline("t1", Map.of("[2]", "{}"))), List.of())));

    // THEN only the commit's state and FIRE remain
    assertThat(await(store.loadMatchedState("t1"))).containsOnlyKeys("[2]");
    assertThat(await(store.listEvents("t1", null, 10))).extracting(StoredEvent::eventId).containsExactly("own");
  }

  private static StagedBaseline staged(String trigger, Map<String, String> matched, NewEvent... events) {
    return new StagedBaseline(trigger, matched, List.of(events));
  }
}
