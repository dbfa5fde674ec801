package io.tycostream.triggers.store;

import io.tycostream.triggers.testkit.OutboxSteps;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Set;

import static io.tycostream.triggers.store.StoreFixture.NOW;
import static io.tycostream.triggers.store.StoreFixture.await;
import static io.tycostream.triggers.store.StoreFixture.event;
import static io.tycostream.triggers.store.StoreFixture.failureOf;
import static io.tycostream.triggers.store.StoreFixture.trigger;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the trigger catalogue: create, read back, list, baseline, delete with what belongs to the trigger, and
 * calls after close. Runs on every dialect through a subclass that supplies the database.
 */
public abstract class TriggerStoreContract extends StoreContract {

  /** Verifies that a created trigger reads back exactly, awaiting its baseline. */
  @Test
  public void createdTriggerReadsBackAwaitingBaseline() {
    // GIVEN a new trigger
    // WHEN it is created and read back
    await(store.createTrigger(trigger("risk_position_alert")));
    StoredTrigger stored = await(store.getTrigger("risk_position_alert")).orElseThrow();

    // THEN every field is as given, with creation time and no baseline
    assertThat(stored.source()).isEqualTo("positions");
    assertThat(stored.definitionJson()).isEqualTo("{\"fire\":{\"net_position\":{\"_gt\":10000}}}");
    assertThat(stored.secret()).isEqualTo("secret-risk_position_alert");
    assertThat(stored.status()).isEqualTo(TriggerStatus.AWAITING_BASELINE);
    assertThat(stored.baseline()).isEmpty();
    assertThat(stored.createdAt()).isEqualTo(NOW);
    assertThat(await(store.getTrigger("unknown"))).isEmpty();
  }

  /** Verifies that the creator is recorded as the trigger's author, and a trigger without one reads back null. */
  @Test
  public void recordsWhoCreatedATrigger() {
    // GIVEN a trigger created by the API key 'deployer', and one whose creator is not known
    StoredTrigger created = await(store.createTrigger(new NewTrigger("by_key", "positions", "{}", "s", "deployer")));
    await(store.createTrigger(trigger("anonymous")));

    // WHEN they are read back THEN the creator is the first author and the last one
    StoredTrigger byKey = await(store.getTrigger("by_key")).orElseThrow();
    assertThat(List.of(created, byKey)).allSatisfy(trigger -> {
      assertThat(trigger.createdBy()).isEqualTo("deployer");
      assertThat(trigger.updatedBy()).isEqualTo("deployer");
    });
    StoredTrigger unknown = await(store.getTrigger("anonymous")).orElseThrow();
    assertThat(unknown.createdBy()).isNull();
    assertThat(unknown.updatedBy()).isNull();
  }

  /** Verifies that a second trigger with a taken name fails with DUPLICATE and leaves the first untouched. */
  @Test
  public void rejectsDuplicateName() {
    // GIVEN a trigger named t1
    await(store.createTrigger(trigger("t1")));

    // WHEN another trigger named t1 is created
    Throwable failure = failureOf(store.createTrigger(
      new io.tycostream.triggers.store.NewTrigger("t1", "other_source", "{}", "s")));

    // THEN it fails with DUPLICATE and the original remains
    assertThat(failure).isInstanceOf(StoreException.class);
    assertThat(((StoreException) failure).storeCode()).isEqualTo(StoreErrorCode.DUPLICATE);
    assertThat(await(store.getTrigger("t1")).orElseThrow().source()).isEqualTo("positions");
  }

  /** Verifies that triggers are listed by name. */
  @Test
  public void listsTriggersByName() {
    // GIVEN triggers created out of order
    await(store.createTrigger(trigger("b")));
    await(store.createTrigger(trigger("c")));
    await(store.createTrigger(trigger("a")));

    // WHEN listed THEN they come ordered by name
    assertThat(await(store.listTriggers())).extracting(StoredTrigger::name).containsExactly("a", "b", "c");
  }

  /** Verifies that marking a baseline activates the trigger and an unknown trigger is NOT_FOUND. */
  @Test
  public void marksBaselineWithLargeFrontier() {
    // GIVEN a trigger awaiting its baseline and a frontier beyond 2^63
    await(store.createTrigger(trigger("t1")));
    BigInteger frontier = new BigInteger("18446744073709551617");

    // WHEN it is marked baselined
    await(store.markBaselined("t1", frontier));

    // THEN it is active at exactly that frontier
    StoredTrigger stored = await(store.getTrigger("t1")).orElseThrow();
    assertThat(stored.status()).isEqualTo(TriggerStatus.ACTIVE);
    assertThat(stored.baseline()).contains(frontier);
    Throwable failure = failureOf(store.markBaselined("nope", frontier));
    assertThat(((StoreException) failure).storeCode()).isEqualTo(StoreErrorCode.NOT_FOUND);
  }

  /** Verifies that deleting a trigger removes its state and pending events but keeps delivered history. */
  @Test
  public void deleteRemovesStateAndPendingEventsButKeepsHistory() {
    // GIVEN a trigger with matched state, one delivered and one pending event, and another trigger's event
    await(store.createTrigger(trigger("t1")));
    await(store.createTrigger(trigger("t2")));
    await(store.markBaselined("t1", BigInteger.ONE));
    await(store.commit(SourceCommit.of("positions", BigInteger.TEN,
      List.of(event("e-delivered", "t1"), event("e-pending", "t1"), event("e-other", "t2")),
      List.of(StateChange.matched("t1", "[1]", "{\"a\":1}")))));
    await(OutboxSteps.deliver(store, NOW.toEpochMilli(), Set.of("e-delivered"), new DeliveryAttempt(NOW, 12, 200, null)));

    // WHEN t1 is deleted (twice)
    boolean deleted = await(store.deleteTrigger("t1"));
    boolean deletedAgain = await(store.deleteTrigger("t1"));

    // THEN t1, its state and its pending event are gone; the delivered event and t2 remain
    assertThat(deleted).isTrue();
    assertThat(deletedAgain).isFalse();
    assertThat(await(store.getTrigger("t1"))).isEmpty();
    assertThat(await(store.loadMatchedState("t1"))).isEmpty();
    assertThat(await(store.listEvents(null, null, 10))).extracting("eventId")
      .containsExactlyInAnyOrder("e-delivered", "e-other");
    assertThat(await(store.countEvents(EventStatus.DELIVERED))).isEqualTo(1);
  }

  /** Verifies that calls after close fail with UNAVAILABLE instead of a driver exception. */
  @Test
  public void callsAfterCloseAreUnavailable() {
    // GIVEN a closed store
    await(store.close());
    Store closed = store;
    store = null;

    // WHEN it is queried and written
    Throwable readFailure = failureOf(closed.listTriggers());
    Throwable writeFailure = failureOf(closed.createTrigger(trigger("late")));

    // THEN both fail with UNAVAILABLE
    assertThat(((StoreException) readFailure).storeCode()).isEqualTo(StoreErrorCode.UNAVAILABLE);
    assertThat(((StoreException) writeFailure).storeCode()).isEqualTo(StoreErrorCode.UNAVAILABLE);
  }
}
