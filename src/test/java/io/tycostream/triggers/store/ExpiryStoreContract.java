package io.tycostream.triggers.store;

import io.tycostream.triggers.testkit.OutboxSteps;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Set;

import static io.tycostream.triggers.store.StoreFixture.NOW;
import static io.tycostream.triggers.store.StoreFixture.await;
import static io.tycostream.triggers.store.StoreFixture.trigger;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@link ExpiryStore} contract: dead reasons as recorded, and one audit entry per expired trigger version. */
public abstract class ExpiryStoreContract extends StoreContract {

  private static final long T0 = NOW.toEpochMilli();

  @BeforeEach
  public void createTheTrigger() {
    await(store.createTrigger(trigger("t1")));
    await(store.markBaselined("t1", BigInteger.ONE));
  }

  /** Verifies that each dead event reads the reason it died for, and that a pending one has none. */
  @Test
  public void keepsTheReasonOfEachDeadEvent() {
    // GIVEN three events: one dead as expired, one with its attempts spent, one still pending
    await(store.commit(SourceCommit.of("positions", BigInteger.TEN, List.of(event("old"), event("spent"),
        event("waiting")), List.of())));
    await(OutboxSteps.finish(store, T0, Set.of("old"), claimed -> OutboxOutcome.dead(claimed,
        new DeliveryAttempt(NOW, 3, 500, "HTTP 500"), DeadReason.EXPIRED)));
    await(OutboxSteps.finish(store, T0, Set.of("spent"), claimed -> OutboxOutcome.dead(claimed,
        new DeliveryAttempt(NOW, 3, 500, "HTTP 500"))));

    // THEN the reasons read back
    assertThat(await(store.expiry().deadReason("old"))).contains("expired");
    assertThat(await(store.expiry().deadReason("spent"))).contains("attempts_exhausted");
    assertThat(await(store.expiry().deadReason("waiting"))).isEmpty();
    assertThat(await(store.expiry().deadReason("unknown"))).isEmpty();
  }

  /**
   * Verifies that recording one expiry twice writes one audit entry, also after a change of another field, and that a
   * moved expiry gets its own.
   */
  @Test
  public void recordsEachExpiryOnce() {
    NewAuditEntry entry = new NewAuditEntry("system", "trigger.expire", "t1", null, "{}", null);
    String at = "2026-01-15T10:30:45.123Z";

    // WHEN two callers record the expiry of version 1
    boolean first = await(store.expiry().recordExpired("t1", 1, at, entry));
    boolean second = await(store.expiry().recordExpired("t1", 1, at, entry));
    // AND one records a version the trigger is not at
    boolean stale = await(store.expiry().recordExpired("t1", 7, "2027-01-01T00:00:00.000Z", entry));

    // THEN one entry is written
    assertThat(first).isTrue();
    assertThat(second).isFalse();
    assertThat(stale).isFalse();
    assertThat(await(store.audit().list(new AuditQuery("t1", null, "trigger.expire", null, 10))).entries())
        .hasSize(1);

    // WHEN the trigger changes (version 2) keeping its expiry, THEN that expiry is not written again
    await(store.updateTrigger(new TriggerUpdate("t1", 1L, StoreFixture.trigger("t1").definitionJson(), true, false,
        "someone")));
    assertThat(await(store.expiry().recordExpired("t1", 2, at, entry))).isFalse();
    // WHEN its expiry was moved and passed again, THEN it is written
    assertThat(await(store.expiry().recordExpired("t1", 2, "2026-01-16T00:00:00.000Z", entry))).isTrue();
    assertThat(await(store.audit().list(new AuditQuery("t1", null, "trigger.expire", null, 10))).entries())
        .hasSize(2);
  }

  private static NewEvent event(String id) {
    return new NewEvent(id, "t1", "FIRE", BigInteger.valueOf(1705316445123L), "[\"" + id + "\"]", "{}");
  }
}
