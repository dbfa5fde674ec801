package io.tycostream.triggers.store;

import io.tycostream.triggers.testkit.OutboxSteps;
import io.vertx.core.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.tycostream.triggers.store.StoreFixture.NOW;
import static io.tycostream.triggers.store.StoreFixture.await;
import static io.tycostream.triggers.store.StoreFixture.event;
import static io.tycostream.triggers.store.StoreFixture.trigger;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the outbox as delivery uses it: exclusive claims in commit order, outcomes recorded in one transaction
 * and fenced by the claim they answer, and the release of a previous incarnation's claims. Runs on every dialect
 * through a subclass that supplies the database.
 */
public abstract class OutboxContract extends StoreContract {

  private static final long T0 = NOW.toEpochMilli();
  private static final long LEASE_MS = 30_000;
  private static final String ME = "incarnation-2";

  @BeforeEach
  public void createTheTrigger() {
    await(store.createTrigger(trigger("t1")));
    await(store.markBaselined("t1", BigInteger.ONE));
  }
  private void commitEvents(int count) {
    List<NewEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(event(String.format("e%02d", i), "t1"));
    }
    await(store.commit(SourceCommit.of("positions", BigInteger.valueOf(count), events, List.of())));
  }

  private List<StoredEvent> claim(long nowMs, int limit) {
    return await(store.claimDue(ME, nowMs, limit, LEASE_MS, Set.of()));
  }

  private static Map<String, StoredEvent> byId(List<StoredEvent> events) {
    return events.stream().collect(Collectors.toMap(StoredEvent::eventId, Function.identity()));
  }

  private static Set<String> ids(List<StoredEvent> events) {
    Set<String> ids = new HashSet<>();
    events.forEach(event -> ids.add(event.eventId()));
    return ids;
  }

  /** Verifies that claims issued at the same time never return the same event. */
  @Test
  public void concurrentClaimsNeverShareAnEvent() {
    // GIVEN 20 due events
    commitEvents(20);

    // WHEN four claims of up to 8 are issued at once
    List<Future<List<StoredEvent>>> claims = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      claims.add(store.claimDue(ME, T0, 8, LEASE_MS, Set.of()));
    }

    // THEN every event is claimed exactly once, leased by this incarnation until now + lease
    List<String> claimed = new ArrayList<>();
    for (Future<List<StoredEvent>> claim : claims) {
      for (StoredEvent event : await(claim)) {
        claimed.add(event.eventId());
        assertThat(event.claimedUntilMs()).isEqualTo(T0 + LEASE_MS);
        assertThat(event.claimedBy()).isEqualTo(ME);
      }
    }
    assertThat(claimed).hasSize(20).doesNotHaveDuplicates();
  }

  /**
   * Verifies that two stores sharing one database never claim the same event. On SQLite the directory lock keeps a
   * second process off the file; the claim is exclusive at the SQL level anyway, so the second store is built
   * without the lock. On PostgreSQL the second store is what a second node has: a pool of its own.
   */
  @Test
  public void claimsAreExclusiveAcrossStoresOnOneDatabase() {
    // GIVEN 50 due events and a second store on the same database
    commitEvents(50);
    Store other = database.create(vertx);

    // WHEN both claim in small slices at the same time
    List<Future<List<StoredEvent>>> claims = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      claims.add(store.claimDue(ME, T0, 5, LEASE_MS, Set.of()));
      claims.add(other.claimDue("other", T0, 5, LEASE_MS, Set.of()));
    }

    // THEN the union is all 50 events with no duplicates
    List<String> claimed = new ArrayList<>();
    claims.forEach(claim -> await(claim).forEach(event -> claimed.add(event.eventId())));
    await(other.close());
    assertThat(claimed).hasSize(50).doesNotHaveDuplicates();
  }

  /** Verifies that a leased event is not claimable until its lease expires, and then is (crash mid-delivery). */
  @Test
  public void expiredLeaseMakesEventClaimableAgain() {
    // GIVEN one event claimed at T0
    commitEvents(1);
    assertThat(ids(claim(T0, 10))).containsExactly("e00");

    // WHEN claiming again during the lease, at its last millisecond, and after it
    List<StoredEvent> duringLease = claim(T0 + LEASE_MS - 1, 10);
    List<StoredEvent> atLeaseEnd = claim(T0 + LEASE_MS, 10);
    List<StoredEvent> afterLease = claim(T0 + LEASE_MS + 1, 10);

    // THEN only the claim after the lease gets it
    assertThat(duringLease).isEmpty();
    assertThat(atLeaseEnd).isEmpty();
    assertThat(ids(afterLease)).containsExactly("e00");
  }

  /**
   * Verifies that events committed in the same millisecond are claimed in commit order, not in event-id order: the
   * ids here sort the other way round, as hashes may.
   */
  @Test
  public void claimsEventsOfOneMillisecondInCommitOrder() {
    // GIVEN 30 events committed at the same instant in three commits, ids descending
    for (int commit = 0; commit < 3; commit++) {
      List<NewEvent> events = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        events.add(event(String.format("z%02d", 99 - (commit * 10 + i)), "t1"));
      }
      await(store.commit(SourceCommit.of("positions", BigInteger.valueOf(commit + 1), events, List.of())));
    }

    // WHEN they are claimed in slices of 7
    List<String> claimed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      claim(T0, 7).forEach(event -> claimed.add(event.eventId()));
    }

    // THEN they come in the order they were committed, with increasing sequence
    List<String> committed = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      committed.add(String.format("z%02d", 99 - i));
    }
    assertThat(claimed).containsExactlyElementsOf(committed);
  }

  /** Verifies that only due events are claimed, earliest first, up to the limit. */
  @Test
  public void claimsOnlyDueEventsEarliestFirst() {
    // GIVEN three events, failed once and rescheduled to different times
    commitEvents(3);
    Map<String, StoredEvent> claimed = byId(claim(T0, 10));
    DeliveryAttempt failed = new DeliveryAttempt(NOW, 5, 503, null);
    await(store.recordOutcomes(List.of(
      OutboxOutcome.retry(claimed.get("e00"), failed, T0 + 2_000),
      OutboxOutcome.retry(claimed.get("e01"), failed, T0 + 1_000),
      OutboxOutcome.retry(claimed.get("e02"), failed, T0 + 9_000))));

    // WHEN claiming at T0 + 5s with room for one, then for more
    List<StoredEvent> first = claim(T0 + 5_000, 1);
    List<StoredEvent> rest = claim(T0 + 5_000, 10);

    // THEN e01 (due at +1s) comes first, then e00; e02 is not due yet
    assertThat(first).extracting(StoredEvent::eventId).containsExactly("e01");
    assertThat(rest).extracting(StoredEvent::eventId).containsExactly("e00");
  }

  /** Verifies that attempts are numbered and stored with the outcome, and delivery ends the event's life. */
  @Test
  public void recordsAttemptsUntilDelivered() {
    // GIVEN a claimed event
    commitEvents(1);
    StoredEvent first = claim(T0, 10).get(0);

    // WHEN the first attempt times out, and the second gets a 200
    Instant secondStart = NOW.plusSeconds(2);
    await(store.recordOutcomes(List.of(
      OutboxOutcome.retry(first, new DeliveryAttempt(NOW, 10_000, null, "timeout"), T0 + 2_000))));
    StoredEvent second = claim(T0 + 2_000, 10).get(0);
    await(store.recordOutcomes(List.of(OutboxOutcome.delivered(second, new DeliveryAttempt(secondStart, 35, 200,
      null)))));

    // THEN both attempts are recorded in order and the event is delivered, not claimable, not due
    assertThat(second.attempts()).isEqualTo(1);
    List<RecordedAttempt> attempts = await(store.listAttempts("e00"));
    assertThat(attempts).extracting(RecordedAttempt::attemptNumber).containsExactly(1, 2);
    assertThat(attempts.get(0).outcome()).isEqualTo(AttemptOutcome.RETRY);
    assertThat(attempts.get(0).httpStatus()).isNull();
    assertThat(attempts.get(0).error()).isEqualTo("timeout");
    assertThat(attempts.get(0).durationMs()).isEqualTo(10_000);
    assertThat(attempts.get(1).outcome()).isEqualTo(AttemptOutcome.DELIVERED);
    assertThat(attempts.get(1).httpStatus()).isEqualTo(200);
    assertThat(attempts.get(1).startedAt()).isEqualTo(secondStart);
    StoredEvent event = await(store.getEvent("e00")).orElseThrow();
    assertThat(event.status()).isEqualTo(EventStatus.DELIVERED);
    assertThat(event.attempts()).isEqualTo(2);
    assertThat(event.deliveredAt()).isEqualTo(secondStart.plusMillis(35));
    assertThat(event.claimedBy()).isNull();
    assertThat(claim(T0 + 100_000, 10)).isEmpty();
    assertThat(await(store.nextDueAt(T0 + 100_000, Set.of()))).isEmpty();
  }

  /** Verifies that the outcomes of many events, of every kind, are recorded together in one call. */
  @Test
  public void recordsABatchOfMixedOutcomesAtOnce() {
    // GIVEN five claimed events
    commitEvents(5);
    Map<String, StoredEvent> claimed = byId(claim(T0, 10));

    // WHEN one call records a delivery, a retry, a dead letter, a postponement and a release
    await(store.recordOutcomes(List.of(
      OutboxOutcome.delivered(claimed.get("e00"), new DeliveryAttempt(NOW, 3, 204, null)),
      OutboxOutcome.retry(claimed.get("e01"), new DeliveryAttempt(NOW, 4, 503, null), T0 + 1_000),
      OutboxOutcome.dead(claimed.get("e02"), new DeliveryAttempt(NOW, 5, 410, null)),
      OutboxOutcome.postponed(claimed.get("e03"), T0 + 7_000),
      OutboxOutcome.released(claimed.get("e04")))));

    // THEN each event moved as its outcome says, with attempts only for those that were attempted
    assertThat(await(store.getEvent("e00")).orElseThrow().status()).isEqualTo(EventStatus.DELIVERED);
    StoredEvent retried = await(store.getEvent("e01")).orElseThrow();
    assertThat(retried.status()).isEqualTo(EventStatus.PENDING);
    assertThat(retried.attempts()).isEqualTo(1);
    assertThat(retried.nextAttemptAtMs()).isEqualTo(T0 + 1_000);
    assertThat(retried.lastError()).isEqualTo("http 503");
    assertThat(await(store.getEvent("e02")).orElseThrow().status()).isEqualTo(EventStatus.DEAD);
    StoredEvent postponed = await(store.getEvent("e03")).orElseThrow();
    assertThat(postponed.attempts()).isZero();
    assertThat(postponed.nextAttemptAtMs()).isEqualTo(T0 + 7_000);
    assertThat(await(store.listAttempts("e03"))).isEmpty();
    assertThat(await(store.listAttempts("e04"))).isEmpty();
    // the released event is due at once, at its old place; the retried one when its time comes
    assertThat(ids(claim(T0, 10))).containsExactly("e04");
    assertThat(ids(claim(T0 + 7_000, 10))).containsExactlyInAnyOrder("e01", "e03");
  }

  /** Verifies that a late outcome of an old claim cannot move the event away from a newer claim. */
  @Test
  public void anOutcomeOnlyMovesTheClaimItAnswers() {
    // GIVEN an event claimed, its lease run out, and claimed again by another incarnation
    commitEvents(1);
    StoredEvent old = claim(T0, 10).get(0);
    StoredEvent newer = await(store.claimDue("incarnation-3", T0 + LEASE_MS + 1, 10, LEASE_MS, Set.of())).get(0);

    // WHEN the old claim records a failure
    await(store.recordOutcomes(List.of(
      OutboxOutcome.retry(old, new DeliveryAttempt(NOW, 9, 500, null), T0 + 500_000))));

    // THEN the event keeps the newer claim and its schedule; the attempt is in the history anyway
    StoredEvent event = await(store.getEvent("e00")).orElseThrow();
    assertThat(event.claimedBy()).isEqualTo("incarnation-3");
    assertThat(event.claimedUntilMs()).isEqualTo(newer.claimedUntilMs());
    assertThat(event.nextAttemptAtMs()).isEqualTo(T0);
    assertThat(await(store.listAttempts("e00"))).extracting(RecordedAttempt::httpStatus).containsExactly(500);

    // AND a 2xx of the old claim still counts: the receiver has the event
    await(store.recordOutcomes(List.of(OutboxOutcome.delivered(old, new DeliveryAttempt(NOW, 9, 200, null)))));
    assertThat(await(store.getEvent("e00")).orElseThrow().status()).isEqualTo(EventStatus.DELIVERED);
  }

  /** Verifies that a dead-lettered event keeps its last error, is never claimed again, and ignores late results. */
  @Test
  public void deadLetteredEventStaysDead() {
    // GIVEN a claimed event
    commitEvents(1);
    StoredEvent claimed = claim(T0, 10).get(0);

    // WHEN it is dead-lettered after a 500, and a late success arrives
    await(store.recordOutcomes(List.of(OutboxOutcome.dead(claimed, new DeliveryAttempt(NOW, 20, 500, null)))));
    await(store.recordOutcomes(List.of(OutboxOutcome.delivered(claimed, new DeliveryAttempt(NOW, 20, 200, null)))));

    // THEN it is dead with its error, counted, listed as dead, and not claimable
    StoredEvent event = await(store.getEvent("e00")).orElseThrow();
    assertThat(event.status()).isEqualTo(EventStatus.DEAD);
    assertThat(event.lastError()).isEqualTo("http 500");
    assertThat(event.attempts()).isEqualTo(1);
    assertThat(await(store.countEvents(EventStatus.DEAD))).isEqualTo(1);
    assertThat(await(store.countEvents(EventStatus.PENDING))).isZero();
    assertThat(await(store.listEvents("t1", EventStatus.DEAD, 10))).extracting(StoredEvent::eventId)
      .containsExactly("e00");
    assertThat(await(store.listAttempts("e00"))).extracting(RecordedAttempt::outcome)
      .containsExactly(AttemptOutcome.DEAD, AttemptOutcome.DELIVERED);
    assertThat(claim(T0 + 1_000_000, 10)).isEmpty();
  }

  /** Verifies that an outcome for an event deleted meanwhile (with its trigger) is ignored with its attempt. */
  @Test
  public void ignoresOutcomesOfDeletedEvents() {
    // GIVEN a claimed event whose trigger is then deleted, and another claimed event
    await(store.createTrigger(trigger("t2")));
    await(store.markBaselined("t2", BigInteger.ONE));
    await(store.commit(SourceCommit.of("positions", BigInteger.ONE, List.of(event("gone", "t1"),
      event("kept", "t2")), List.of())));
    Map<String, StoredEvent> claimed = byId(claim(T0, 10));
    await(store.deleteTrigger("t1"));

    // WHEN both are recorded as delivered in one batch
    DeliveryAttempt attempt = new DeliveryAttempt(NOW, 1, 200, null);
    await(store.recordOutcomes(List.of(OutboxOutcome.delivered(claimed.get("gone"), attempt),
      OutboxOutcome.delivered(claimed.get("kept"), attempt))));

    // THEN the batch succeeds: the existing event is delivered, the deleted one left no attempt behind
    assertThat(await(store.getEvent("kept")).orElseThrow().status()).isEqualTo(EventStatus.DELIVERED);
    assertThat(await(store.listAttempts("gone"))).isEmpty();
  }

  /** Verifies that a restart releases the claims of every other incarnation at once, keeping their order. */
  @Test
  public void releasesTheClaimsOfOtherIncarnations() {
    // GIVEN four events: two claimed by a previous incarnation, one by this one, one unclaimed
    commitEvents(4);
    await(store.claimDue("incarnation-1", T0, 2, LEASE_MS, Set.of()));
    claim(T0, 1);

    // WHEN this incarnation releases the others' claims
    int released = await(store.releaseClaimsNotOf(ME));

    // THEN the previous incarnation's two are due at once, first in the order; this incarnation's claim stays
    assertThat(released).isEqualTo(2);
    assertThat(claim(T0, 10)).extracting(StoredEvent::eventId).containsExactly("e00", "e01", "e03");
    assertThat(await(store.getEvent("e02")).orElseThrow().claimedBy()).isEqualTo(ME);
  }

  /** Verifies that claims and the next due time leave excluded triggers' events where they are. */
  @Test
  public void leavesExcludedTriggersOut() {
    // GIVEN due events of two triggers
    await(store.createTrigger(trigger("t2")));
    await(store.markBaselined("t2", BigInteger.ONE));
    await(store.commit(SourceCommit.of("positions", BigInteger.ONE, List.of(event("a1", "t1"), event("b1", "t2"),
      event("a2", "t1")), List.of())));

    // WHEN t1 is excluded
    List<StoredEvent> claimed = await(store.claimDue(ME, T0, 10, LEASE_MS, Set.of("t1")));

    // THEN only t2's event is claimed, nothing else counts as due, and t1's events stay unleased
    assertThat(claimed).extracting(StoredEvent::eventId).containsExactly("b1");
    assertThat(await(store.nextDueAt(T0, Set.of("t1")))).isEmpty();
    assertThat(await(store.nextDueAt(T0, Set.of()))).contains(T0);
    assertThat(claim(T0, 10)).extracting(StoredEvent::eventId).containsExactly("a1", "a2");
  }

  /** Verifies that the next due time is the earliest unleased pending event's. */
  @Test
  public void nextDueAtFollowsTheSchedule() {
    // GIVEN nothing pending
    assertThat(await(store.nextDueAt(T0, Set.of()))).isEmpty();

    // WHEN two events are committed, one is leased and the other rescheduled to +5s
    commitEvents(2);
    assertThat(await(store.nextDueAt(T0, Set.of()))).contains(T0);
    Map<String, StoredEvent> claimed = byId(claim(T0, 10));
    await(store.recordOutcomes(List.of(
      OutboxOutcome.retry(claimed.get("e01"), new DeliveryAttempt(NOW, 1, 502, null), T0 + 5_000))));

    // THEN the earliest is the rescheduled one at +5s; the leased one is its claimer's business
    assertThat(await(store.nextDueAt(T0, Set.of()))).contains(T0 + 5_000);
  }

  /** Verifies that listing filters by trigger and status and respects the limit. */
  @Test
  public void listsEventsByTriggerAndStatus() {
    // GIVEN events of two triggers, one delivered
    await(store.createTrigger(trigger("t2")));
    await(store.markBaselined("t2", BigInteger.ONE));
    await(store.commit(SourceCommit.of("positions", BigInteger.ONE,
      List.of(event("a1", "t1"), event("a2", "t1"), event("b1", "t2")), List.of())));
    await(OutboxSteps.deliver(store, T0, Set.of("a1"), new DeliveryAttempt(NOW, 1, 204, null)));

    // WHEN listing with filters THEN only matching events come back
    assertThat(await(store.listEvents("t1", null, 10))).extracting(StoredEvent::eventId)
      .containsExactlyInAnyOrder("a1", "a2");
    assertThat(await(store.listEvents(null, EventStatus.PENDING, 10))).extracting(StoredEvent::eventId)
      .containsExactlyInAnyOrder("a2", "b1");
    assertThat(await(store.listEvents("t1", EventStatus.PENDING, 10))).extracting(StoredEvent::eventId)
      .containsExactly("a2");
    assertThat(await(store.listEvents(null, null, 2))).hasSize(2);
  }

  /** Verifies that pruning removes old finished events with their attempts in slices and never pending ones. */
  @Test
  public void prunesOnlyOldFinishedHistory() throws Exception {
    // GIVEN three events: one delivered, one dead, one pending, all created at T0
    commitEvents(3);
    Map<String, StoredEvent> claimed = byId(claim(T0, 10));
    await(store.recordOutcomes(List.of(
      OutboxOutcome.delivered(claimed.get("e00"), new DeliveryAttempt(NOW, 1, 200, null)),
      OutboxOutcome.dead(claimed.get("e01"), new DeliveryAttempt(NOW, 1, 410, null)))));

    // WHEN pruning history older than T0 (nothing), then older than T0 + 1 in slices of one
    int none = await(store.pruneHistory(T0, 10));
    int firstSlice = await(store.pruneHistory(T0 + 1, 1));
    int secondSlice = await(store.pruneHistory(T0 + 1, 1));
    int thirdSlice = await(store.pruneHistory(T0 + 1, 1));

    // THEN the two finished events and their attempts are gone, the pending one stays
    assertThat(List.of(none, firstSlice, secondSlice, thirdSlice)).containsExactly(0, 1, 1, 0);
    assertThat(await(store.listEvents(null, null, 10))).extracting(StoredEvent::eventId).containsExactly("e02");
    assertThat(database.count("delivery_attempts")).isZero();
  }
}
