package io.tycostream.triggers.store.sqlite;

import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.NOW;
import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.await;
import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.event;
import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.store.DeliveryAttempt;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.SourceCommit;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that postponing a leased event (its endpoint's circuit is open) ends the lease and moves its due time
 * without counting or recording an attempt.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteOutboxPostponeTest {

  private static final long T0 = NOW.toEpochMilli();
  private static final long LEASE_MS = 30_000;

  @TempDir
  Path dir;

  private Store store;

  @BeforeEach
  void openStore(Vertx vertx) {
    store = SqliteStoreFixture.open(vertx, dir);
    await(store.createTrigger(trigger("t1")));
    await(store.markBaselined("t1", BigInteger.ONE));
    await(store.commit(SourceCommit.of("positions", BigInteger.ONE, List.of(event("e1", "t1")), List.of())));
  }

  @AfterEach
  void closeStore() {
    await(store.close());
  }

  /** Verifies that a postponed event is claimable again at the new time, not before, with no attempt counted. */
  @Test
  void postponeEndsTheLeaseWithoutCountingAnAttempt() {
    // GIVEN a leased event
    assertThat(await(store.claimDue(T0, 10, LEASE_MS))).hasSize(1);

    // WHEN it is postponed by five seconds
    boolean postponed = await(store.postpone("e1", T0 + 5_000));

    // THEN it is pending with no attempt, due at the new time and not before, and its lease is gone
    assertThat(postponed).isTrue();
    StoredEvent event = await(store.getEvent("e1")).orElseThrow();
    assertThat(event.status()).isEqualTo(EventStatus.PENDING);
    assertThat(event.attempts()).isZero();
    assertThat(event.claimedUntilMs()).isZero();
    assertThat(await(store.listAttempts("e1"))).isEmpty();
    assertThat(await(store.nextDueAt())).isEqualTo(Optional.of(T0 + 5_000));
    assertThat(await(store.claimDue(T0 + 4_999, 10, LEASE_MS))).isEmpty();
    assertThat(await(store.claimDue(T0 + 5_000, 10, LEASE_MS))).extracting(StoredEvent::eventId).containsExactly("e1");
  }

  /** Verifies that a finished or unknown event is not revived by a late postpone. */
  @Test
  void postponeLeavesFinishedAndUnknownEventsAlone() {
    // GIVEN a delivered event
    await(store.claimDue(T0, 10, LEASE_MS));
    await(store.recordDelivered("e1", new DeliveryAttempt(NOW, 12, 204, null)));

    // WHEN it, and an unknown id, are postponed
    boolean delivered = await(store.postpone("e1", T0 + 5_000));
    boolean unknown = await(store.postpone("nope", T0 + 5_000));

    // THEN nothing changes
    assertThat(delivered).isFalse();
    assertThat(unknown).isFalse();
    assertThat(await(store.getEvent("e1")).orElseThrow().status()).isEqualTo(EventStatus.DELIVERED);
  }
}
