package io.tycostream.triggers.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.tycostream.triggers.store.StoreFixture.NOW;
import static io.tycostream.triggers.store.StoreFixture.await;
import static io.tycostream.triggers.store.StoreFixture.event;
import static io.tycostream.triggers.store.StoreFixture.trigger;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies batch membership as delivery uses it: written only on events the claimer holds, with one lease end for the
 * batch (the fence of its outcomes), kept through a replay, and read back as the pending members of each batch. Runs
 * on every dialect through a subclass that supplies the database.
 */
public abstract class BatchOutboxContract extends StoreContract {

  private static final long T0 = NOW.toEpochMilli();
  private static final long LEASE_MS = 30_000;
  private static final String ME = "incarnation-1";

  @BeforeEach
  public void createTheTrigger() {
    await(store.createTrigger(trigger("t1")));
    await(store.markBaselined("t1", BigInteger.ONE));
    List<NewEvent> events = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      events.add(event("e" + i, "t1"));
    }
    await(store.commit(SourceCommit.of("positions", BigInteger.TEN, events, List.of())));
  }

  /** Verifies that a batch is recorded on the held events with one new lease end, and read back as a whole. */
  @Test
  public void recordsMembershipOnHeldEventsWithOneLease() {
    // GIVEN the four events claimed
    List<StoredEvent> claimed = await(store.claimDue(ME, T0, 10, LEASE_MS, Set.of()));
    assertThat(claimed).hasSize(4);

    // WHEN three of them are assigned to a batch with a later lease end
    int written = await(store.batches().assign("batch_a", List.of("e0", "e1", "e2"), ME, T0 + 2 * LEASE_MS));

    // THEN all three are written, carry the batch and the new lease
    assertThat(written).isEqualTo(3);
    assertThat(await(store.batches().batchOf("e1"))).contains("batch_a");
    assertThat(await(store.batches().batchOf("e3"))).isEmpty();
    assertThat(await(store.batches().batchOf("nope"))).isEmpty();
    assertThat(await(store.getEvent("e2")).orElseThrow().claimedUntilMs()).isEqualTo(T0 + 2 * LEASE_MS);

    // AND asking for one member gives every pending member of its batch
    assertThat(await(store.batches().pendingBatchMembers(List.of("e0", "e3"))))
        .isEqualTo(Map.of("e0", "batch_a", "e1", "batch_a", "e2", "batch_a"));

    // AND an outcome fenced by the batch's lease moves the member
    StoredEvent e0 = await(store.getEvent("e0")).orElseThrow();
    await(store.recordOutcomes(List.of(OutboxOutcome.released(e0))));
    assertThat(await(store.getEvent("e0")).orElseThrow().claimedUntilMs()).isZero();
  }

  /** Verifies that events another claimer holds are not written. */
  @Test
  public void writesNothingOnEventsItDoesNotHold() {
    await(store.claimDue("someone-else", T0, 10, LEASE_MS, Set.of()));

    int written = await(store.batches().assign("batch_a", List.of("e0", "e1"), ME, T0 + LEASE_MS));

    assertThat(written).isZero();
    assertThat(await(store.batches().batchOf("e0"))).isEqualTo(Optional.empty());
  }

  /** Verifies that delivered members are no longer pending members, and that a replay keeps the membership. */
  @Test
  public void keepsMembershipThroughAReplay() {
    // GIVEN a batch of two, delivered
    List<StoredEvent> claimed = await(store.claimDue(ME, T0, 10, LEASE_MS, Set.of()));
    await(store.batches().assign("batch_b", List.of("e0", "e1"), ME, T0 + LEASE_MS));
    List<OutboxOutcome> delivered = new ArrayList<>();
    for (StoredEvent event : claimed.subList(0, 2)) {
      delivered.add(OutboxOutcome.delivered(event, new DeliveryAttempt(NOW, 3, 204, null)));
    }
    await(store.recordOutcomes(delivered));
    assertThat(await(store.batches().pendingBatchMembers(List.of("e0")))).isEmpty();

    // WHEN one member is replayed
    await(store.outboxAdmin().retryEvent("t1", "e1", T0));

    // THEN it is pending again in the same batch, alone
    assertThat(await(store.batches().pendingBatchMembers(List.of("e1")))).isEqualTo(Map.of("e1", "batch_b"));
  }
}
