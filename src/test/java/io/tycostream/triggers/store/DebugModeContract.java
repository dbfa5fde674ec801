package io.tycostream.triggers.store;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tycostream.triggers.store.StoreFixture.NOW;
import static io.tycostream.triggers.store.StoreFixture.await;
import static io.tycostream.triggers.store.StoreFixture.event;
import static io.tycostream.triggers.store.StoreFixture.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies debug mode in the store (#10): a trigger whose stored definition says {@code "mode": "debug"} gets its
 * committed events as {@code suppressed}, never claimed; changing the mode to live makes the events of later commits
 * claimable while the suppressed ones stay unsent; suppressed events are history that pruning removes by age. Runs
 * on every dialect through a subclass that supplies the database.
 */
public abstract class DebugModeContract extends StoreContract {

  private static final long T0 = NOW.toEpochMilli();
  private static final long LATER = T0 + Duration.ofDays(1).toMillis();
  private static final String CLAIMER = "incarnation-1";

  private void createTrigger(String name, String mode) {
    String definition = "{\"name\":\"" + name + "\",\"source\":\"positions\",\"fire\":{\"net_position\":{\"_gt\":1}}"
        + (mode == null ? "" : ",\"mode\":\"" + mode + "\"") + "}";
    await(store.createTrigger(new NewTrigger(name, "positions", definition, "secret-" + name, "tester")));
    await(store.markBaselined(name, BigInteger.ONE));
  }

  private void commit(long frontier, NewEvent... events) {
    await(store.commit(SourceCommit.of("positions", BigInteger.valueOf(frontier), List.of(events), List.of())));
  }

  private List<String> claimAll() {
    return await(store.claimDue(CLAIMER, LATER, 100, 30_000, Set.of())).stream().map(StoredEvent::eventId).toList();
  }

  /** Verifies that a debug trigger's events are stored as suppressed in the commit and are never claimed. */
  @Test
  public void debugTriggersEventsAreSuppressedAndNeverClaimed() {
    // GIVEN a debug trigger and a live one on the same source
    createTrigger("quiet", "debug");
    createTrigger("loud", "live");

    // WHEN one commit carries an event of each
    commit(10, event("q1", "quiet"), event("l1", "loud"));

    // THEN the debug trigger's event is suppressed, the live one's pending, and only the live one is claimed
    assertThat(await(store.getEvent("q1")).orElseThrow().status()).isEqualTo(EventStatus.SUPPRESSED);
    assertThat(await(store.getEvent("l1")).orElseThrow().status()).isEqualTo(EventStatus.PENDING);
    assertThat(claimAll()).containsExactly("l1");
    assertThat(await(store.nextDueAt(LATER, Set.of("loud")))).isEmpty();
    assertThat(await(store.listEvents("quiet", EventStatus.SUPPRESSED, 10))).extracting(StoredEvent::eventId)
        .containsExactly("q1");
    assertThat(await(store.countEvents(EventStatus.SUPPRESSED))).isEqualTo(1L);
  }

  /** Verifies that a definition stored without a mode (before modes existed) is live. */
  @Test
  public void definitionWithoutModeIsLive() {
    createTrigger("old", null);

    commit(10, event("o1", "old"));

    assertThat(await(store.getEvent("o1")).orElseThrow().status()).isEqualTo(EventStatus.PENDING);
  }

  /** Verifies that switching to live delivers the events of later commits only, never the suppressed ones. */
  @Test
  public void switchingToLiveClaimsLaterEventsOnly() {
    // GIVEN a debug trigger with a suppressed event
    createTrigger("t1", "debug");
    commit(10, event("before", "t1"));

    // WHEN its mode changes to live and a later commit carries another event
    StoredTrigger changed = await(store.changeTriggerMode("t1", "live", "alice"));
    commit(11, event("after", "t1"));

    // THEN the stored definition says live, and only the later event is claimed; the earlier stays suppressed
    assertThat(changed.definitionJson()).contains("\"mode\"").contains("\"live\"").doesNotContain("debug");
    assertThat(changed.updatedBy()).isEqualTo("alice");
    assertThat(claimAll()).containsExactly("after");
    assertThat(await(store.getEvent("before")).orElseThrow().status()).isEqualTo(EventStatus.SUPPRESSED);
  }

  /** Verifies that switching a live trigger to debug suppresses the events of later commits. */
  @Test
  public void switchingToDebugSuppressesLaterEvents() {
    createTrigger("t1", "live");
    commit(10, event("before", "t1"));

    await(store.changeTriggerMode("t1", "debug", "alice"));
    commit(11, event("after", "t1"));

    assertThat(await(store.getEvent("before")).orElseThrow().status()).isEqualTo(EventStatus.PENDING);
    assertThat(await(store.getEvent("after")).orElseThrow().status()).isEqualTo(EventStatus.SUPPRESSED);
  }

  /** Verifies that changing the mode of a trigger that does not exist fails NOT_FOUND. */
  @Test
  public void changingModeOfUnknownTriggerIsNotFound() {
    Throwable failure = failureOf(store.changeTriggerMode("nobody", "live", "alice"));

    assertThat(failure).isInstanceOf(StoreException.class);
    assertThat(((StoreException) failure).storeCode()).isEqualTo(StoreErrorCode.NOT_FOUND);
  }

  /**
   * Verifies that a debug trigger's staged include_snapshot FIREs are staged suppressed and still cleared with its
   * staged baseline when an attempt did not finish (a retried round must not leave them behind).
   */
  @Test
  public void stagedEventsOfDebugTriggerAreSuppressedAndCleared() {
    // GIVEN a debug trigger awaiting its baseline, with a staged FIRE
    String definition = "{\"name\":\"t1\",\"source\":\"positions\",\"fire\":{\"x\":{\"_gt\":1}},\"mode\":\"debug\"}";
    await(store.createTrigger(new NewTrigger("t1", "positions", definition, "secret-t1", "tester")));
    await(store.stageBaselines(List.of(new StagedBaseline("t1", Map.of("[\"s1\"]", "{}"),
        List.of(event("s1", "t1")))), BigInteger.TEN));
    assertThat(await(store.getEvent("s1")).orElseThrow().status()).isEqualTo(EventStatus.SUPPRESSED);

    // WHEN the unfinished attempt's staging is cleared
    await(store.clearStagedBaselines(List.of("t1"), 100));

    // THEN the staged event is gone with it
    assertThat(await(store.getEvent("s1"))).isEmpty();
  }

  /** Verifies that history pruning removes old suppressed events like delivered ones. */
  @Test
  public void pruningRemovesOldSuppressedEvents() {
    createTrigger("t1", "debug");
    commit(10, event("s1", "t1"));

    int pruned = await(store.pruneHistory(T0 + 1, 100));

    assertThat(pruned).isEqualTo(1);
    assertThat(await(store.getEvent("s1"))).isEmpty();
  }

  /** Verifies that deleting a debug trigger keeps its suppressed events as history (only pending ones go). */
  @Test
  public void deletingTriggerKeepsSuppressedHistory() {
    createTrigger("t1", "debug");
    commit(10, event("s1", "t1"));

    await(store.deleteTrigger("t1"));

    assertThat(await(store.getEvent("s1"))).isPresent();
  }
}
