package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.AttemptOutcome;
import io.tycostream.triggers.store.DeliveryAttempt;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.store.RecordedAttempt;
import io.tycostream.triggers.store.SourceCommit;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.NOW;
import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.await;
import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.event;
import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.failureOf;
import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.trigger;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteOutboxTest {

  private static final long T0 = NOW.toEpochMilli();
  private static final long LEASE_MS = 30_000;

  @TempDir
  Path dir;

  private Vertx vertx;
  private Store store;

  @BeforeEach
  void openStore(Vertx vertx) {
    this.vertx = vertx;
    store = SqliteStoreFixture.open(vertx, dir);
    await(store.createTrigger(trigger("t1")));
    await(store.markBaselined("t1", BigInteger.ONE));
  }

  @AfterEach
  void closeStore() {
    await(store.close());
  }

  private void commitEvents(int count) {
    List<NewEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(event(String.format("e%02d", i), "t1"));
    }
    await(store.commit(SourceCommit.of("positions", BigInteger.valueOf(count), events, List.of())));
  }

  private static Set<String> ids(List<StoredEvent> events) {
    Set<String> ids = new HashSet<>();
    events.forEach(event -> ids.add(event.eventId()));
    return ids;
  }

  /** Verifies that claims issued at the same time never return the same event. */
  @Test
  void concurrentClaimsNeverShareAnEvent() {
    // GIVEN 20 due events
    commitEvents(20);

    // WHEN four claims of up to 8 are issued at once
    List<Future<List<StoredEvent>>> claims = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      claims.add(store.claimDue(T0, 8, LEASE_MS));
    }

    // THEN every event is claimed exactly once, leased until now + lease
    List<String> claimed = new ArrayList<>();
    for (Future<List<StoredEvent>> claim : claims) {
      for (StoredEvent event : await(claim)) {
        claimed.add(event.eventId());
        assertThat(event.claimedUntilMs()).isEqualTo(T0 + LEASE_MS);
      }
    }
    assertThat(claimed).hasSize(20).doesNotHaveDuplicates();
  }

  /**
   * Verifies that two stores sharing one file never claim the same event. The directory lock keeps a second process
   * off the file; the claim is exclusive at the SQL level anyway, so the second store is built without the lock.
   */
  @Test
  void claimsAreExclusiveAcrossStoresOnOneFile() {
    // GIVEN 50 due events and a second store on the same file
    commitEvents(50);
    Store other = SqliteStore.create(vertx, SqliteStoreFixture.options(dir), SqliteStoreFixture.CLOCK);

    // WHEN both claim in small slices at the same time
    List<Future<List<StoredEvent>>> claims = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      claims.add(store.claimDue(T0, 5, LEASE_MS));
      claims.add(other.claimDue(T0, 5, LEASE_MS));
    }

    // THEN the union is all 50 events with no duplicates
    List<String> claimed = new ArrayList<>();
    claims.forEach(claim -> await(claim).forEach(event -> claimed.add(event.eventId())));
    await(other.close());
    assertThat(claimed).hasSize(50).doesNotHaveDuplicates();
  }

  /** Verifies that a leased event is not claimable until its lease expires, and then is (crash mid-delivery). */
  @Test
  void expiredLeaseMakesEventClaimableAgain() {
    // GIVEN one event claimed at T0
    commitEvents(1);
    assertThat(ids(await(store.claimDue(T0, 10, LEASE_MS)))).containsExactly("e00");

    // WHEN claiming again during the lease, at its last millisecond, and after it
    List<StoredEvent> duringLease = await(store.claimDue(T0 + LEASE_MS - 1, 10, LEASE_MS));
    List<StoredEvent> atLeaseEnd = await(store.claimDue(T0 + LEASE_MS, 10, LEASE_MS));
    List<StoredEvent> afterLease = await(store.claimDue(T0 + LEASE_MS + 1, 10, LEASE_MS));

    // THEN only the claim after the lease gets it
    assertThat(duringLease).isEmpty();
    assertThat(atLeaseEnd).isEmpty();
    assertThat(ids(afterLease)).containsExactly("e00");
  }

  /** Verifies that only due events are claimed, earliest first, up to the limit. */
  @Test
  void claimsOnlyDueEventsEarliestFirst() {
    // GIVEN three events, two of them failed once and rescheduled to different times
    commitEvents(3);
    await(store.claimDue(T0, 10, LEASE_MS));
    DeliveryAttempt failed = new DeliveryAttempt(NOW, 5, 503, null);
    await(store.recordFailure("e00", failed, T0 + 2_000));
    await(store.recordFailure("e01", failed, T0 + 1_000));
    await(store.recordFailure("e02", failed, T0 + 9_000));

    // WHEN claiming at T0 + 5s with room for one, then for more
    List<StoredEvent> first = await(store.claimDue(T0 + 5_000, 1, LEASE_MS));
    List<StoredEvent> rest = await(store.claimDue(T0 + 5_000, 10, LEASE_MS));

    // THEN e01 (due at +1s) comes first, then e00; e02 is not due yet
    assertThat(first).extracting(StoredEvent::eventId).containsExactly("e01");
    assertThat(rest).extracting(StoredEvent::eventId).containsExactly("e00");
  }

  /** Verifies that attempts are numbered and stored with the outcome, and delivery ends the event's life. */
  @Test
  void recordsAttemptsUntilDelivered() {
    // GIVEN a claimed event
    commitEvents(1);
    await(store.claimDue(T0, 10, LEASE_MS));

    // WHEN the first attempt times out, and the second gets a 200
    Instant secondStart = NOW.plusSeconds(2);
    boolean retried = await(store.recordFailure("e00", new DeliveryAttempt(NOW, 10_000, null, "timeout"),
      T0 + 2_000));
    await(store.claimDue(T0 + 2_000, 10, LEASE_MS));
    boolean delivered = await(store.recordDelivered("e00", new DeliveryAttempt(secondStart, 35, 200, null)));

    // THEN both attempts are recorded in order and the event is delivered, not claimable, not due
    assertThat(retried).isTrue();
    assertThat(delivered).isTrue();
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
    assertThat(event.deliveredAt()).isEqualTo(NOW);
    assertThat(await(store.claimDue(T0 + 100_000, 10, LEASE_MS))).isEmpty();
    assertThat(await(store.nextDueAt())).isEmpty();
  }

  /** Verifies that a dead-lettered event keeps its last error, is never claimed again, and ignores late results. */
  @Test
  void deadLetteredEventStaysDead() {
    // GIVEN a claimed event
    commitEvents(1);
    await(store.claimDue(T0, 10, LEASE_MS));

    // WHEN it is dead-lettered after a 500, and a late success from an earlier lease arrives
    boolean dead = await(store.recordDead("e00", new DeliveryAttempt(NOW, 20, 500, null)));
    boolean lateDelivered = await(store.recordDelivered("e00", new DeliveryAttempt(NOW, 20, 200, null)));

    // THEN it is dead with its error, counted, listed as dead, and not claimable
    assertThat(dead).isTrue();
    assertThat(lateDelivered).isFalse();
    StoredEvent event = await(store.getEvent("e00")).orElseThrow();
    assertThat(event.status()).isEqualTo(EventStatus.DEAD);
    assertThat(event.lastError()).isEqualTo("http 500");
    assertThat(await(store.countEvents(EventStatus.DEAD))).isEqualTo(1);
    assertThat(await(store.countEvents(EventStatus.PENDING))).isZero();
    assertThat(await(store.listEvents("t1", EventStatus.DEAD, 10))).extracting(StoredEvent::eventId)
      .containsExactly("e00");
    assertThat(await(store.listAttempts("e00"))).extracting(RecordedAttempt::outcome)
      .containsExactly(AttemptOutcome.DEAD, AttemptOutcome.DELIVERED);
    assertThat(await(store.claimDue(T0 + 1_000_000, 10, LEASE_MS))).isEmpty();
  }

  /** Verifies that recording an attempt for an unknown event fails with NOT_FOUND and stores nothing. */
  @Test
  void recordingUnknownEventIsNotFound() {
    // GIVEN no events
    // WHEN a delivery is recorded for an unknown id
    Throwable failure = failureOf(store.recordDelivered("missing", new DeliveryAttempt(NOW, 1, 200, null)));

    // THEN it fails with NOT_FOUND and no attempt exists
    assertThat(((StoreException) failure).storeCode()).isEqualTo(StoreErrorCode.NOT_FOUND);
    assertThat(await(store.listAttempts("missing"))).isEmpty();
  }

  /** Verifies that the next due time accounts for schedules and leases. */
  @Test
  void nextDueAtFollowsScheduleAndLease() {
    // GIVEN nothing pending
    assertThat(await(store.nextDueAt())).isEmpty();

    // WHEN two events are committed, one is leased and the other rescheduled to +5s
    commitEvents(2);
    assertThat(await(store.nextDueAt())).contains(T0);
    await(store.claimDue(T0, 10, LEASE_MS));
    await(store.recordFailure("e01", new DeliveryAttempt(NOW, 1, 502, null), T0 + 5_000));

    // THEN the earliest is the rescheduled one at +5s, before e00's lease ends
    assertThat(await(store.nextDueAt())).contains(T0 + 5_000);
  }

  /** Verifies that listing filters by trigger and status and respects the limit. */
  @Test
  void listsEventsByTriggerAndStatus() {
    // GIVEN events of two triggers, one delivered
    await(store.createTrigger(trigger("t2")));
    await(store.markBaselined("t2", BigInteger.ONE));
    await(store.commit(SourceCommit.of("positions", BigInteger.ONE,
      List.of(event("a1", "t1"), event("a2", "t1"), event("b1", "t2")), List.of())));
    await(store.recordDelivered("a1", new DeliveryAttempt(NOW, 1, 204, null)));

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
  void prunesOnlyOldFinishedHistory() throws Exception {
    // GIVEN three events: one delivered, one dead, one pending, all created at T0
    commitEvents(3);
    await(store.claimDue(T0, 10, LEASE_MS));
    await(store.recordDelivered("e00", new DeliveryAttempt(NOW, 1, 200, null)));
    await(store.recordDead("e01", new DeliveryAttempt(NOW, 1, 410, null)));

    // WHEN pruning history older than T0 (nothing), then older than T0 + 1 in slices of one
    int none = await(store.pruneHistory(T0, 10));
    int firstSlice = await(store.pruneHistory(T0 + 1, 1));
    int secondSlice = await(store.pruneHistory(T0 + 1, 1));
    int thirdSlice = await(store.pruneHistory(T0 + 1, 1));

    // THEN the two finished events and their attempts are gone, the pending one stays
    assertThat(List.of(none, firstSlice, secondSlice, thirdSlice)).containsExactly(0, 1, 1, 0);
    assertThat(await(store.listEvents(null, null, 10))).extracting(StoredEvent::eventId).containsExactly("e02");
    assertThat(SqliteStoreFixture.count(dir, "delivery_attempts")).isZero();
  }
}
