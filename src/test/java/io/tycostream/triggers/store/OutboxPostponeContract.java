package io.tycostream.triggers.store;

import static io.tycostream.triggers.store.StoreFixture.NOW;
import static io.tycostream.triggers.store.StoreFixture.await;
import static io.tycostream.triggers.store.StoreFixture.event;
import static io.tycostream.triggers.store.StoreFixture.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Verifies that postponing a leased event (its endpoint's circuit is open) ends the lease and moves its due time
 * without counting or recording an attempt, and that releasing one ends the lease in place.
 * Runs on every dialect through a subclass that supplies the database.
 */
public abstract class OutboxPostponeContract extends StoreContract {

  private static final long T0 = NOW.toEpochMilli();
  private static final long LEASE_MS = 30_000;
  private static final String ME = "incarnation";

  @BeforeEach
  public void createTheTrigger() {
    await(store.createTrigger(trigger("t1")));
    await(store.markBaselined("t1", BigInteger.ONE));
    await(store.commit(SourceCommit.of("positions", BigInteger.ONE, List.of(event("e1", "t1")), List.of())));
  }
  private List<StoredEvent> claim(long nowMs) {
    return await(store.claimDue(ME, nowMs, 10, LEASE_MS, Set.of()));
  }

  /** Verifies that a postponed event is claimable again at the new time, not before, with no attempt counted. */
  @Test
  public void postponeEndsTheLeaseWithoutCountingAnAttempt() {
    // GIVEN a leased event
    StoredEvent claimed = claim(T0).get(0);

    // WHEN it is postponed by five seconds
    await(store.recordOutcomes(List.of(OutboxOutcome.postponed(claimed, T0 + 5_000))));

    // THEN it is pending with no attempt, due at the new time and not before, and its lease is gone
    StoredEvent event = await(store.getEvent("e1")).orElseThrow();
    assertThat(event.status()).isEqualTo(EventStatus.PENDING);
    assertThat(event.attempts()).isZero();
    assertThat(event.claimedUntilMs()).isZero();
    assertThat(event.claimedBy()).isNull();
    assertThat(await(store.listAttempts("e1"))).isEmpty();
    assertThat(await(store.nextDueAt(T0, Set.of()))).isEqualTo(Optional.of(T0 + 5_000));
    assertThat(claim(T0 + 4_999)).isEmpty();
    assertThat(claim(T0 + 5_000)).extracting(StoredEvent::eventId).containsExactly("e1");
  }

  /** Verifies that a released event is due again at once, at its old due time, with no attempt counted. */
  @Test
  public void releaseEndsTheLeaseInPlace() {
    // GIVEN a leased event
    StoredEvent claimed = claim(T0 + 10).get(0);

    // WHEN it is handed back unsent
    await(store.recordOutcomes(List.of(OutboxOutcome.released(claimed))));

    // THEN it is claimable at once, still due from its commit, and nothing was counted
    StoredEvent event = await(store.getEvent("e1")).orElseThrow();
    assertThat(event.nextAttemptAtMs()).isEqualTo(T0);
    assertThat(event.attempts()).isZero();
    assertThat(claim(T0 + 10)).extracting(StoredEvent::eventId).containsExactly("e1");
  }

  /** Verifies that a finished event is not revived by a late postpone. */
  @Test
  public void postponeLeavesFinishedEventsAlone() {
    // GIVEN a delivered event
    StoredEvent claimed = claim(T0).get(0);
    await(store.recordOutcomes(List.of(OutboxOutcome.delivered(claimed, new DeliveryAttempt(NOW, 12, 204, null)))));

    // WHEN it is postponed with its old claim
    await(store.recordOutcomes(List.of(OutboxOutcome.postponed(claimed, T0 + 5_000))));

    // THEN nothing changes
    assertThat(await(store.getEvent("e1")).orElseThrow().status()).isEqualTo(EventStatus.DELIVERED);
  }
}
