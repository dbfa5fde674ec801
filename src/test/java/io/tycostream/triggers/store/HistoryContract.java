package io.tycostream.triggers.store;

import io.tycostream.triggers.testkit.OutboxSteps;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tycostream.triggers.store.StoreFixture.NOW;
import static io.tycostream.triggers.store.StoreFixture.await;
import static io.tycostream.triggers.store.StoreFixture.trigger;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the reads of {@link HistoryStore} on every dialect: keyset pages of event history with their filters,
 * trigger activity kept in the commit and outcome transactions (and not lost to pruning), matched keys read with
 * the committed frontier, and attempts with the receiver's answer.
 */
public abstract class HistoryContract extends StoreContract {

  private static final long T0 = NOW.toEpochMilli();

  @BeforeEach
  public void createTheTrigger() {
    await(store.createTrigger(trigger("t1")));
    await(store.markBaselined("t1", BigInteger.ONE));
  }

  private static NewEvent event(String id, String type, String key) {
    return new NewEvent(id, "t1", type, BigInteger.valueOf(1705316445123L), "[\"" + key + "\"]",
      "{\"account\":\"" + key + "\"}");
  }

  private List<String> allPages(EventQuery first) {
    List<String> ids = new ArrayList<>();
    EventQuery query = first;
    while (true) {
      EventPage page = await(store.history().listEvents(query));
      page.events().forEach(e -> ids.add(e.eventId()));
      if (page.next() == null) {
        return ids;
      }
      query = new EventQuery(query.triggerName(), query.status(), query.eventType(), query.keyJson(), query.from(),
        query.to(), page.next(), query.limit());
    }
  }

  /**
   * Verifies that paging 1,200 events (stored in the same millisecond by three commits) 500 at a time returns each
   * once, newest first, in three pages.
   */
  @Test
  public void pagesThroughMoreThan500EventsWithoutLossOrDuplicate() {
    // GIVEN 1,200 events committed in three commits at the same clock time
    List<String> committed = new ArrayList<>();
    for (int commit = 0; commit < 3; commit++) {
      List<NewEvent> events = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String id = String.format("e%04d", commit * 400 + i);
        events.add(event(id, "FIRE", id));
        committed.add(id);
      }
      await(store.commit(SourceCommit.of("positions", BigInteger.valueOf(10 + commit), events, List.of())));
    }

    // WHEN every page of 500 is read
    EventPage first = await(store.history().listEvents(EventQuery.newest("t1", 500)));
    List<String> all = allPages(EventQuery.newest("t1", 500));

    // THEN the pages hold every event once, newest (last committed) first
    assertThat(first.events()).hasSize(500);
    assertThat(first.events().get(0).eventId()).isEqualTo("e1199");
    assertThat(all).hasSize(1_200).doesNotHaveDuplicates();
    List<String> newestFirst = new ArrayList<>(committed);
    java.util.Collections.reverse(newestFirst);
    assertThat(all).containsExactlyElementsOf(newestFirst);
  }

  /** Verifies each filter: status, type, key, and the from/to times (from inclusive, to exclusive). */
  @Test
  public void filtersByStatusTypeKeyAndTime() throws SQLException {
    // GIVEN FIREs and CLEARs of two keys, one delivered, one dead, stored at three times
    await(store.commit(SourceCommit.of("positions", BigInteger.TEN, List.of(
      event("f-a", "FIRE", "A"), event("c-a", "CLEAR", "A"), event("f-b", "FIRE", "B"), event("c-b", "CLEAR", "B")),
      List.of())));
    await(OutboxSteps.deliver(store, T0, Set.of("f-a"), new DeliveryAttempt(NOW, 3, 204, null)));
    await(OutboxSteps.finish(store, T0, Set.of("c-b"),
      claimed -> OutboxOutcome.dead(claimed, new DeliveryAttempt(NOW, 3, 500, "HTTP 500"))));
    database.execute("UPDATE events SET created_at = " + (T0 - 2_000) + " WHERE event_id = 'f-a'");
    database.execute("UPDATE events SET created_at = " + (T0 - 1_000) + " WHERE event_id IN ('c-a', 'f-b')");

    // WHEN each filter is applied
    List<String> delivered = allPages(query(EventStatus.DELIVERED, null, null, null, null));
    List<String> dead = allPages(query(EventStatus.DEAD, null, null, null, null));
    List<String> pending = allPages(query(EventStatus.PENDING, null, null, null, null));
    List<String> clears = allPages(query(null, "CLEAR", null, null, null));
    List<String> keyB = allPages(query(null, null, "[\"B\"]", null, null));
    List<String> fromMiddle = allPages(query(null, null, null, Instant.ofEpochMilli(T0 - 1_000), null));
    List<String> beforeNow = allPages(query(null, null, null, null, NOW));
    List<String> window = allPages(query(null, null, null, Instant.ofEpochMilli(T0 - 2_000),
      Instant.ofEpochMilli(T0 - 1_000)));
    List<String> combined = allPages(query(EventStatus.PENDING, "FIRE", "[\"B\"]", null, null));

    // THEN each answers exactly its events, newest first
    assertThat(delivered).containsExactly("f-a");
    assertThat(dead).containsExactly("c-b");
    assertThat(pending).containsExactlyInAnyOrder("c-a", "f-b");
    assertThat(clears).containsExactly("c-b", "c-a");
    assertThat(keyB).containsExactly("c-b", "f-b");
    assertThat(fromMiddle).containsExactlyInAnyOrder("c-b", "f-b", "c-a");
    assertThat(fromMiddle.get(0)).isEqualTo("c-b");
    assertThat(beforeNow).containsExactlyInAnyOrder("f-b", "c-a", "f-a");
    assertThat(beforeNow.get(2)).isEqualTo("f-a");
    assertThat(window).containsExactly("f-a");
    assertThat(combined).containsExactly("f-b");
  }

  private static EventQuery query(EventStatus status, String type, String key, Instant from, Instant to) {
    return new EventQuery("t1", status, type, key, from, to, EventQuery.FIRST_PAGE, 2);
  }

  /**
   * Verifies that a trigger's totals follow its FIREs, CLEARs and deliveries, that pending, retrying and dead count
   * what the outbox holds, and that pruning the history keeps the totals.
   */
  @Test
  public void keepsActivityTotalsThroughDeliveriesAndPruning() {
    // GIVEN three FIREs and one CLEAR (two keys matched), two delivered, one dead, one pending
    await(store.commit(new SourceCommit("positions", BigInteger.TEN, List.of(
      event("f-a", "FIRE", "A"), event("f-b", "FIRE", "B"), event("c-a", "CLEAR", "A"), event("f-c", "FIRE", "C")),
      List.of(StateChange.matched("t1", "[\"B\"]", "{}"), StateChange.matched("t1", "[\"C\"]", "{}")),
      List.of(), List.of())));
    await(OutboxSteps.deliver(store, T0, Set.of("f-a", "f-b"), new DeliveryAttempt(NOW, 3, 204, null)));
    await(OutboxSteps.finish(store, T0, Set.of("c-a"),
      claimed -> OutboxOutcome.dead(claimed, new DeliveryAttempt(NOW, 3, 500, "HTTP 500"))));
    TriggerActivity untried = await(store.history().activityOf(List.of("t1"))).get("t1");
    // AND the pending one fails once and waits for its retry
    await(OutboxSteps.finish(store, T0, Set.of("f-c"),
      claimed -> OutboxOutcome.retry(claimed, new DeliveryAttempt(NOW, 3, 503, "HTTP 503"), T0 + 60_000)));

    // WHEN the activity is read, and again after every finished event was pruned
    TriggerActivity before = await(store.history().activityOf(List.of("t1", "unknown"))).get("t1");
    Map<String, TriggerActivity> both = await(store.history().activityOf(List.of("t1", "unknown")));
    assertThat(await(store.pruneHistory(T0 + 1, 100))).isEqualTo(3);
    TriggerActivity after = await(store.history().activityOf(List.of("t1"))).get("t1");

    // THEN the totals count every event and delivery, the outbox counts what it holds
    assertThat(before).isEqualTo(new TriggerActivity("t1", 2, 3, 1, NOW, NOW, 2, 1, 1, 1));
    // AND the retry queue counts only the pending event that failed: before its first attempt it is not retrying
    assertThat(untried.pending()).isEqualTo(1);
    assertThat(untried.retrying()).isZero();
    assertThat(both.get("unknown")).isEqualTo(TriggerActivity.none("unknown"));
    // AND pruning lowers only the dead events still retained, never the totals
    assertThat(after).isEqualTo(new TriggerActivity("t1", 2, 3, 1, NOW, NOW, 2, 1, 0, 1));
  }

  /** Verifies that a deleted and re-created trigger starts from zero. */
  @Test
  public void recreatedTriggerStartsWithoutActivity() {
    // GIVEN a trigger with events, deleted and created again
    await(store.commit(SourceCommit.of("positions", BigInteger.TEN, List.of(event("f-a", "FIRE", "A")), List.of())));
    await(store.deleteTrigger("t1"));
    await(store.createTrigger(trigger("t1")));

    // WHEN its activity is read THEN nothing is counted
    assertThat(await(store.history().activityOf(List.of("t1"))).get("t1")).isEqualTo(TriggerActivity.none("t1"));
  }

  /**
   * Verifies that matched keys page in key order with the source's committed frontier, and that a key keeps the
   * frontier it was matched at while its row changes.
   */
  @Test
  public void pagesMatchedKeysWithTheCommittedFrontier() {
    // GIVEN five keys matched at frontier 10, one of them updated at frontier 20
    List<StateChange> changes = new ArrayList<>();
    for (String key : List.of("E", "B", "D", "A", "C")) {
      changes.add(StateChange.matched("t1", "[\"" + key + "\"]", "{\"account\":\"" + key + "\",\"v\":1}"));
    }
    await(store.commit(SourceCommit.of("positions", BigInteger.TEN, List.of(), changes)));
    await(store.commit(SourceCommit.of("positions", BigInteger.valueOf(20), List.of(),
      List.of(StateChange.matched("t1", "[\"B\"]", "{\"account\":\"B\",\"v\":2}")))));

    // WHEN they are read two at a time
    List<MatchedKey> keys = new ArrayList<>();
    List<BigInteger> frontiers = new ArrayList<>();
    String after = null;
    do {
      MatchPage page = await(store.history().listMatches("t1", "positions", after, 2));
      keys.addAll(page.keys());
      frontiers.add(page.committedFrontier());
      after = page.lastKey();
    } while (after != null);

    // THEN every key comes once in key order, each page at the committed frontier 20
    assertThat(keys).extracting(MatchedKey::keyJson)
      .containsExactly("[\"A\"]", "[\"B\"]", "[\"C\"]", "[\"D\"]", "[\"E\"]");
    assertThat(frontiers).containsOnly(BigInteger.valueOf(20)).hasSize(3);
    MatchedKey b = keys.get(1);
    assertThat(b.rowJson()).contains("\"v\":2");
    assertThat(b.frontier()).isEqualTo(BigInteger.valueOf(20));
    assertThat(b.matchedFrontier()).isEqualTo(BigInteger.TEN);
    // AND a source that never committed has no frontier
    assertThat(await(store.history().listMatches("t1", "elsewhere", null, 1)).committedFrontier()).isNull();
  }

  /** Verifies that an attempt's answer excerpt is stored and read back with its attempt. */
  @Test
  public void keepsTheResponseExcerptOfAnAttempt() {
    // GIVEN an event delivered by an attempt whose answer had a body
    await(store.commit(SourceCommit.of("positions", BigInteger.TEN, List.of(event("f-a", "FIRE", "A")), List.of())));
    await(OutboxSteps.deliver(store, T0, Set.of("f-a"), new DeliveryAttempt(NOW, 42, 200, null, "ok ✓")));

    // WHEN its attempts are read THEN the excerpt is there with status and latency
    List<RecordedAttempt> attempts = await(store.listAttempts("f-a"));
    assertThat(attempts).singleElement().satisfies(attempt -> {
      assertThat(attempt.httpStatus()).isEqualTo(200);
      assertThat(attempt.durationMs()).isEqualTo(42);
      assertThat(attempt.responseExcerpt()).isEqualTo("ok ✓");
    });
  }

  /** Verifies that the trigger list can be limited to one source and one status, paging within the filter. */
  @Test
  public void listsTriggersOfOneSourceAndStatus() {
    // GIVEN t1 (positions, active), t2 and t4 (positions, awaiting baseline), t3 (orders, awaiting baseline)
    await(store.createTrigger(trigger("t2")));
    await(store.createTrigger(new NewTrigger("t3", "orders", "{}", "secret-t3")));
    await(store.createTrigger(trigger("t4")));

    // WHEN listed by source, by status, by both, and one at a time within a filter
    List<String> positions = names(await(store.listTriggers(new TriggerFilter("positions", null), null, 10, 1_000)));
    List<String> awaiting = names(await(store.listTriggers(
      new TriggerFilter(null, TriggerStatus.AWAITING_BASELINE), null, 10, 1_000)));
    List<String> both = names(await(store.listTriggers(
      new TriggerFilter("positions", TriggerStatus.AWAITING_BASELINE), null, 10, 1_000)));
    TriggerPage firstOfBoth = await(store.listTriggers(
      new TriggerFilter("positions", TriggerStatus.AWAITING_BASELINE), null, 1, 1_000));

    // THEN each holds only what its filter selects
    assertThat(positions).containsExactly("t1", "t2", "t4");
    assertThat(awaiting).containsExactly("t2", "t3", "t4");
    assertThat(both).containsExactly("t2", "t4");
    assertThat(names(firstOfBoth)).containsExactly("t2");
    assertThat(names(await(store.listTriggers(new TriggerFilter("positions", TriggerStatus.AWAITING_BASELINE),
      firstOfBoth.lastName(), 1, 1_000)))).containsExactly("t4");
  }

  private static List<String> names(TriggerPage page) {
    return page.triggers().stream().map(StoredTrigger::name).toList();
  }

  /** Verifies that the audit log pages newest first, filters exactly, and is pruned by age. */
  @Test
  public void pagesFiltersAndPrunesTheAuditLog() throws SQLException {
    // GIVEN five entries of two actors on two targets
    for (int i = 0; i < 5; i++) {
      await(store.audit().record(new NewAuditEntry(i % 2 == 0 ? "alice" : "bob", "trigger.create",
        "t" + (i % 2), null, "{\"n\":" + i + "}", "req-" + i)));
    }

    // WHEN all pages of two are read, and filtered lists
    List<AuditEntry> all = new ArrayList<>();
    Long before = null;
    do {
      AuditPage page = await(store.audit().list(new AuditQuery(null, null, null, before, 2)));
      all.addAll(page.entries());
      before = page.lastId();
    } while (before != null);
    List<AuditEntry> bobs = await(store.audit().list(new AuditQuery(null, "bob", null, null, 10))).entries();
    List<AuditEntry> onT0 = await(store.audit().list(new AuditQuery("t0", null, null, null, 10))).entries();
    List<AuditEntry> deletes = await(store.audit().list(new AuditQuery(null, null, "trigger.delete", null, 10)))
      .entries();

    // THEN every entry comes once, newest first, with what was recorded
    assertThat(all).extracting(AuditEntry::requestId).containsExactly("req-4", "req-3", "req-2", "req-1", "req-0");
    assertThat(all.get(0)).satisfies(entry -> {
      assertThat(entry.at()).isEqualTo(NOW);
      assertThat(entry.actor()).isEqualTo("alice");
      assertThat(entry.target()).isEqualTo("t0");
      assertThat(entry.afterJson()).isEqualTo("{\"n\":4}");
    });
    assertThat(bobs).extracting(AuditEntry::requestId).containsExactly("req-3", "req-1");
    assertThat(onT0).extracting(AuditEntry::requestId).containsExactly("req-4", "req-2", "req-0");
    assertThat(deletes).isEmpty();
    // AND pruning removes entries older than the cut only
    database.execute("UPDATE audit_log SET at = " + (T0 - 10_000) + " WHERE request_id IN ('req-0', 'req-1')");
    assertThat(await(store.audit().prune(T0 - 1, 1))).isEqualTo(1);
    assertThat(await(store.audit().prune(T0 - 1, 10))).isEqualTo(1);
    assertThat(database.count("audit_log")).isEqualTo(3);
  }
}
