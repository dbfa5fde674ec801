package io.tycostream.triggers.store;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tycostream.triggers.store.StoreFixture.NOW;
import static io.tycostream.triggers.store.StoreFixture.await;
import static io.tycostream.triggers.store.StoreFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the delivery gates in the store (#11 items 2 and 9): an event a gate held back is stored as
 * {@code suppressed} with its reason and never claimed; a debug trigger's events carry reason {@code debug}; the gate
 * memory is written with the commit, read back, forgotten on request and deleted with its trigger. Runs on every
 * dialect through a subclass that supplies the database.
 */
public abstract class KeyGateContract extends StoreContract {

  private static final BigInteger FIRED_AT = new BigInteger("9223372036854775808000");

  private void createTrigger(String name, String mode) {
    String definition = "{\"name\":\"" + name + "\",\"source\":\"positions\",\"fire\":{\"net_position\":{\"_gt\":1}}"
        + (mode == null ? "" : ",\"mode\":\"" + mode + "\"") + "}";
    await(store.createTrigger(new NewTrigger(name, "positions", definition, "secret-" + name, "tester")));
    await(store.markBaselined(name, BigInteger.ONE));
  }

  private void commit(long frontier, List<NewEvent> events, List<KeyGateChange> gates) {
    await(store.commit(new SourceCommit("positions", BigInteger.valueOf(frontier), events, List.of(), List.of(),
        List.of(), gates)));
  }

  private static NewEvent suppressed(String id, String trigger, SuppressedReason reason) {
    NewEvent plain = event(id, trigger);
    return new NewEvent(plain.eventId(), plain.triggerName(), plain.eventType(), plain.sourceTimestamp(),
        plain.keyJson(), plain.dataJson(), reason);
  }

  /** Verifies that gated events are suppressed with their reason, and the others pending without one. */
  @Test
  public void gatedEventsAreSuppressedWithTheirReason() {
    // GIVEN a live trigger and a debug one
    createTrigger("live", null);
    createTrigger("quiet", "debug");

    // WHEN one commit carries a delivered event, a cooldown and a deliver_if one, and a debug trigger's event
    commit(10, List.of(event("e1", "live"), suppressed("e2", "live", SuppressedReason.COOLDOWN),
        suppressed("e3", "live", SuppressedReason.DELIVER_IF), event("e4", "quiet")), List.of());

    // THEN each is stored with its status and reason, and only the ungated live event is claimed
    assertThat(await(store.getEvent("e1")).orElseThrow().suppressedReason()).isNull();
    assertThat(await(store.getEvent("e1")).orElseThrow().status()).isEqualTo(EventStatus.PENDING);
    assertThat(await(store.getEvent("e2")).orElseThrow().suppressedReason()).isEqualTo(SuppressedReason.COOLDOWN);
    assertThat(await(store.getEvent("e3")).orElseThrow().suppressedReason()).isEqualTo(SuppressedReason.DELIVER_IF);
    assertThat(await(store.getEvent("e4")).orElseThrow().suppressedReason()).isEqualTo(SuppressedReason.DEBUG);
    assertThat(await(store.listEvents("live", EventStatus.SUPPRESSED, 10))).extracting(StoredEvent::eventId)
        .containsExactlyInAnyOrder("e2", "e3");
    assertThat(await(store.claimDue("c1", NOW.toEpochMilli() + 60_000, 100, 30_000, Set.of())))
        .extracting(StoredEvent::eventId).containsExactly("e1");
  }

  /** Verifies that the gate memory is written by the commit, read back, and that the last change per key wins. */
  @Test
  public void gateMemoryIsCommittedAndReadBack() {
    createTrigger("live", null);

    commit(10, List.of(), List.of(new KeyGateChange("live", "[1]", FIRED_AT, null),
        new KeyGateChange("live", "[2]", null, SuppressedReason.DELIVER_IF),
        new KeyGateChange("live", "[3]", FIRED_AT, SuppressedReason.COOLDOWN)));
    commit(20, List.of(), List.of(new KeyGateChange("live", "[2]", null, null),
        new KeyGateChange("live", "[3]", FIRED_AT, null), new KeyGateChange("live", "[3]", FIRED_AT.add(BigInteger.ONE),
            null)));

    Map<String, KeyGateChange> loaded = await(store.gates().load("live"));
    assertThat(loaded).containsOnlyKeys("[1]", "[3]");
    assertThat(loaded.get("[1]").deliveredFireAt()).isEqualTo(FIRED_AT);
    assertThat(loaded.get("[1]").openSuppression()).isNull();
    assertThat(loaded.get("[3]").deliveredFireAt()).isEqualTo(FIRED_AT.add(BigInteger.ONE));
  }

  /** Verifies that deleting a trigger deletes its gate memory (a re-created name starts without). */
  @Test
  public void gateMemoryGoesWithTheTrigger() {
    createTrigger("live", null);
    commit(10, List.of(), List.of(new KeyGateChange("live", "[1]", FIRED_AT, SuppressedReason.COOLDOWN)));

    assertThat(await(store.deleteTrigger("live"))).isTrue();
    createTrigger("live", null);

    assertThat(await(store.gates().load("live"))).isEmpty();
  }
}
