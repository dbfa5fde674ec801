package io.tycostream.triggers.store;

import static io.tycostream.triggers.store.StoreFixture.NOW;
import static io.tycostream.triggers.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Verifies the {@link AlertOutbox} on every dialect: an alert is stored once per endpoint and id, a claim is won
 * once and leases the alert, and outcomes move it to delivered, due again or dead.
 */
public abstract class AlertOutboxContract extends StoreContract {

  private static final long T0 = NOW.toEpochMilli();

  private static NewAlert alert(String endpoint, String id) {
    return new NewAlert(endpoint, id, "SOURCE_DISCONNECTED", "{\"source\":\"positions\"}", T0);
  }

  /** Verifies that raising the same alert twice (a retry, a second node) stores it once per endpoint. */
  @Test
  public void storesTheSameAlertOncePerEndpoint() {
    // GIVEN an alert raised for two endpoints, then raised again
    await(store.alerts().insert(List.of(alert("ops", "a1"), alert("pager", "a1"))));
    await(store.alerts().insert(List.of(alert("ops", "a1"))));

    // THEN each endpoint has it once, pending and due
    assertThat(await(store.alerts().list("ops", 10))).extracting(StoredAlert::eventId).containsExactly("a1");
    assertThat(await(store.alerts().list("pager", 10))).hasSize(1);
    assertThat(await(store.alerts().due(T0, 10))).hasSize(2);
  }

  /** Verifies that one claimer wins a due alert and that the lease hides it until it ends. */
  @Test
  public void leasesAClaimedAlertToOneClaimer() {
    await(store.alerts().insert(List.of(alert("ops", "a1"))));
    StoredAlert due = await(store.alerts().due(T0, 10)).get(0);

    // WHEN two claimers try, THEN only the first wins, and the alert is due again only after the lease
    assertThat(await(store.alerts().claim(due, T0, T0 + 1_000))).isTrue();
    assertThat(await(store.alerts().claim(due, T0, T0 + 1_000))).isFalse();
    assertThat(await(store.alerts().due(T0 + 999, 10))).isEmpty();
    assertThat(await(store.alerts().due(T0 + 1_000, 10))).hasSize(1);
  }

  /** Verifies that outcomes are recorded: retry counts an attempt, delivered and dead end the alert. */
  @Test
  public void recordsOutcomes() {
    await(store.alerts().insert(List.of(alert("ops", "a1"), alert("ops", "a2"))));
    List<StoredAlert> due = await(store.alerts().due(T0, 10));

    await(store.alerts().retry(due.get(0), T0 + 500, "http 500"));
    await(store.alerts().dead(due.get(1), "http 503"));
    StoredAlert retried = await(store.alerts().due(T0 + 500, 10)).get(0);
    await(store.alerts().delivered(retried, T0 + 600));

    assertThat(await(store.alerts().list("ops", 10)))
        .extracting(StoredAlert::eventId, StoredAlert::status, StoredAlert::attempts, StoredAlert::lastError)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(retried.eventId(), "delivered", 2, null),
            org.assertj.core.groups.Tuple.tuple(due.get(1).eventId(), "dead", 1, "http 503"));
    assertThat(await(store.alerts().due(Long.MAX_VALUE, 10))).isEmpty();
    assertThat(await(store.alerts().prune(T0 + 1, 10))).isEqualTo(2);
  }
}
