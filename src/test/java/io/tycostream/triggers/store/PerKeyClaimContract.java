package io.tycostream.triggers.store;

import static io.tycostream.triggers.store.StoreFixture.NOW;
import static io.tycostream.triggers.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Verifies the claim of a trigger with {@code ordering: per_key}: an event is not claimed while an older event of the
 * same trigger and key is still pending (leased, waiting for its retry, or not yet claimed), so a key's events leave
 * strictly one after the other across retries and restarts; a delivery or dead-letter releases the next; other keys
 * and concurrent triggers are not held; the next-due time does not count blocked events; and the claim stays fast
 * over a backlog of 10,000 pending events. Runs on every dialect through a subclass that supplies the database.
 */
public abstract class PerKeyClaimContract extends StoreContract {

  private static final long T0 = NOW.toEpochMilli();
  private static final long LEASE_MS = 30_000;
  private static final String ME = "incarnation";
  private static final String ORDERED = "{\"fire\":{\"net_position\":{\"_gt\":10000}},\"ordering\":\"per_key\"}";
  private static final String CONCURRENT = "{\"fire\":{\"net_position\":{\"_gt\":10000}}}";

  @BeforeEach
  public void createTheTriggers() {
    create("ordered", ORDERED);
    create("concurrent", CONCURRENT);
  }

  private void create(String name, String definition) {
    await(store.createTrigger(new NewTrigger(name, "positions", definition, "secret-" + name)));
    await(store.markBaselined(name, BigInteger.ONE));
  }

  private static NewEvent event(String id, String trigger, String key) {
    return new NewEvent(id, trigger, "FIRE", BigInteger.valueOf(1705316445123L), "[\"" + key + "\"]",
        "{\"account\":\"" + key + "\"}");
  }

  private void commit(long frontier, NewEvent... events) {
    await(store.commit(SourceCommit.of("positions", BigInteger.valueOf(frontier), List.of(events), List.of())));
  }

  private List<String> claimIds(long nowMs) {
    return claim(nowMs).stream().map(StoredEvent::eventId).toList();
  }

  private List<StoredEvent> claim(long nowMs) {
    return await(store.claimDue(ME, nowMs, 100, LEASE_MS, Set.of()));
  }

  private void record(OutboxOutcome outcome) {
    await(store.recordOutcomes(List.of(outcome)));
  }

  private static DeliveryAttempt attempt(Integer status) {
    return new DeliveryAttempt(NOW, 5, status, null);
  }

  /** Verifies that only the oldest pending event of each key is claimed, and a delivery releases the next. */
  @Test
  public void claimsTheOldestPendingEventOfEachKeyOnly() {
    // GIVEN two events of key A and one of key B, in that commit order
    commit(2, event("a1", "ordered", "A"), event("a2", "ordered", "A"), event("b1", "ordered", "B"));

    // WHEN claimed, THEN A's first and B's first come, A's second waits
    List<StoredEvent> first = claim(T0);
    assertThat(first).extracting(StoredEvent::eventId).containsExactly("a1", "b1");
    assertThat(claimIds(T0)).isEmpty();

    // WHEN A's first is delivered, THEN A's second is claimed
    record(OutboxOutcome.delivered(first.get(0), attempt(204)));
    assertThat(claimIds(T0)).containsExactly("a2");
  }

  /** Verifies that an earlier event waiting for its retry holds the later ones of its key, not other keys. */
  @Test
  public void anEventWaitingForItsRetryHoldsItsKey() {
    // GIVEN A's first failed once and is due again in 5 s
    commit(2, event("a1", "ordered", "A"));
    StoredEvent a1 = claim(T0).get(0);
    record(OutboxOutcome.retry(a1, attempt(500), T0 + 5_000));

    // WHEN A and B get new events
    commit(3, event("a2", "ordered", "A"), event("b1", "ordered", "B"));

    // THEN before the retry only B's is claimed, and the next due time is the retry's (A's second is not due)
    assertThat(claimIds(T0 + 10)).containsExactly("b1");
    assertThat(await(store.nextDueAt(T0 + 10, Set.of()))).isEqualTo(Optional.of(T0 + 5_000));
    // AND at the retry A's first comes alone, its second only after it is delivered
    List<StoredEvent> retried = claim(T0 + 5_000);
    assertThat(retried).extracting(StoredEvent::eventId).containsExactly("a1");
    assertThat(claimIds(T0 + 5_000)).isEmpty();
    record(OutboxOutcome.delivered(retried.get(0), attempt(200)));
    assertThat(claimIds(T0 + 5_000)).containsExactly("a2");
  }

  /** Verifies that dead-lettering the earlier event releases the later one. */
  @Test
  public void aDeadLetterReleasesTheNextEventOfItsKey() {
    // GIVEN A's first is claimed and its second waits
    commit(2, event("a1", "ordered", "A"), event("a2", "ordered", "A"));
    StoredEvent a1 = claim(T0).get(0);
    assertThat(claimIds(T0)).isEmpty();

    // WHEN A's first is dead-lettered, THEN its second is claimed
    record(OutboxOutcome.dead(a1, attempt(500)));
    assertThat(claimIds(T0)).containsExactly("a2");
  }

  /** Verifies that a released claim (a restart) keeps the key's order: the earlier event comes first again. */
  @Test
  public void aRestartKeepsTheKeysOrder() {
    // GIVEN A's first was in flight when the service stopped
    commit(2, event("a1", "ordered", "A"), event("a2", "ordered", "A"));
    claim(T0);

    // WHEN the next run releases the previous run's claims
    assertThat(await(store.releaseClaimsNotOf("next-run"))).isEqualTo(1);

    // THEN the next run claims A's first, not its second
    assertThat(await(store.claimDue("next-run", T0 + 1, 100, LEASE_MS, Set.of())))
        .extracting(StoredEvent::eventId).containsExactly("a1");
  }

  /** Verifies that a trigger in the default (concurrent) ordering is claimed as before. */
  @Test
  public void aConcurrentTriggerIsNotHeld() {
    // GIVEN two events of one key of a concurrent trigger
    commit(2, event("c1", "concurrent", "A"), event("c2", "concurrent", "A"));

    // THEN both are claimed at once
    assertThat(claimIds(T0)).containsExactly("c1", "c2");
  }

  /** Verifies that a replayed dead event takes its place again: the key's later pending events wait for it. */
  @Test
  public void aReplayedEventHoldsTheLaterEventsOfItsKey() {
    // GIVEN A's first is dead and its second is claimed and answered with a retry
    commit(2, event("a1", "ordered", "A"), event("a2", "ordered", "A"));
    record(OutboxOutcome.dead(claim(T0).get(0), attempt(500)));
    StoredEvent a2 = claim(T0).get(0);
    record(OutboxOutcome.retry(a2, attempt(500), T0 + 1_000));

    // WHEN A's first is replayed
    await(store.outboxAdmin().retryEvent("ordered", "a1", T0 + 2_000));

    // THEN it comes first, the second only after it
    List<StoredEvent> replayed = claim(T0 + 2_000);
    assertThat(replayed).extracting(StoredEvent::eventId).containsExactly("a1");
    record(OutboxOutcome.delivered(replayed.get(0), attempt(204)));
    assertThat(claimIds(T0 + 2_000)).containsExactly("a2");
  }

  /**
   * Verifies that a claim stays fast over 10,000 pending events of a per-key trigger, 100 keys of 100 events each:
   * the first claim takes each key's oldest, the next ones find every key held and walk the whole backlog. Prints the
   * times (the first claims warm the database up); the bound is loose, it only catches a claim that sorts or scans a
   * table per row.
   */
  @Test
  public void aClaimOverTenThousandPendingEventsStaysFast() {
    List<NewEvent> backlog = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      backlog.add(event("m" + i, "ordered", "k" + (i % 100)));
    }
    await(store.commit(SourceCommit.of("positions", BigInteger.TWO, backlog, List.of())));
    int[] claimed = new int[6];
    long[] ms = new long[claimed.length];
    for (int i = 0; i < claimed.length; i++) {
      int claim = i;
      ms[i] = timed(() -> claimed[claim] = claim(T0).size());
    }
    System.out.printf("per-key claim over 10,000 pending [%s]: %s ms, claimed %s%n", database.dialect(),
        java.util.Arrays.toString(ms), java.util.Arrays.toString(claimed));
    assertThat(claimed).containsExactly(100, 0, 0, 0, 0, 0);
    assertThat(ms[claimed.length - 1]).isLessThan(1_000);
  }

  private static long timed(Runnable call) {
    long start = System.nanoTime();
    call.run();
    return (System.nanoTime() - start) / 1_000_000;
  }
}
