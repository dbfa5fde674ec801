package io.tycostream.triggers.delivery;

import io.tycostream.triggers.store.AuditEntry;
import io.tycostream.triggers.store.AuditQuery;
import io.tycostream.triggers.store.DeliveryAttempt;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.NewAuditEntry;
import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.OutboxOutcome;
import io.tycostream.triggers.store.SourceCommit;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.sqlite.SqliteStore;
import io.tycostream.triggers.store.sqlite.SqliteStoreOptions;
import io.tycostream.triggers.testkit.OutboxSteps;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.testkit.Blocking.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies that event history and the audit log are pruned by age in batches, and that pending events are never
 * pruned.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HistoryPrunerTest {

  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir
  Path dataDir;

  /** Verifies that delivered and dead events past the retention go (over several batches) and the rest stay. */
  @Test
  void prunesOldFinishedEventsInBatchesAndKeepsPendingOnes(Vertx vertx) {
    // GIVEN 2,100 delivered and 5 dead events created on Jan 1st, 3 still pending, in a store
    Store store = await(SqliteStore.open(vertx, new SqliteStoreOptions().setDataDirectory(dataDir),
        Clock.fixed(CREATED, ZoneOffset.UTC)));
    await(store.createTrigger(new NewTrigger("t", "s", "{}", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")));
    await(store.markBaselined("t", BigInteger.ONE));
    List<NewEvent> events = new ArrayList<>();
    for (int i = 0; i < 2_108; i++) {
      events.add(new NewEvent("e" + i, "t", "FIRE", BigInteger.valueOf(i + 1), "[" + i + "]", "{\"id\":" + i + "}"));
    }
    await(store.commit(SourceCommit.of("s", BigInteger.valueOf(5_000), events, List.of())));
    Set<String> delivered = new HashSet<>();
    for (int i = 0; i < 2_100; i++) {
      delivered.add("e" + i);
    }
    Set<String> dead = Set.of("e2100", "e2101", "e2102", "e2103", "e2104");
    long now = CREATED.toEpochMilli();
    await(OutboxSteps.deliver(store, now, delivered, new DeliveryAttempt(CREATED, 3, 204, null)));
    await(OutboxSteps.finish(store, now, dead,
        event -> OutboxOutcome.dead(event, new DeliveryAttempt(CREATED, 3, 500, null))));

    // WHEN a pass runs eight days later with a seven-day retention
    long eightDaysLater = CREATED.plus(Duration.ofDays(8)).toEpochMilli();
    HistoryPruner pruner = new HistoryPruner(vertx, store, Duration.ofDays(7), () -> eightDaysLater);
    long deleted = await(pruner.prune());

    // THEN every finished event went, in more than one batch, and the pending ones are still there
    assertThat(deleted).isEqualTo(2_105);
    assertThat(await(store.countEvents(EventStatus.DELIVERED))).isZero();
    assertThat(await(store.countEvents(EventStatus.DEAD))).isZero();
    assertThat(await(store.countEvents(EventStatus.PENDING))).isEqualTo(3);
    assertThat(await(store.listAttempts("e0"))).isEmpty();
    await(store.close());
  }

  /** Verifies that audit entries are kept as long as event history: older ones go in the same pass. */
  @Test
  void prunesTheAuditLogWithTheSameRetention(Vertx vertx) {
    // GIVEN 1,200 audit entries recorded on Jan 1st and one recorded a week later
    Store store = await(SqliteStore.open(vertx, new SqliteStoreOptions().setDataDirectory(dataDir),
        Clock.fixed(CREATED, ZoneOffset.UTC)));
    for (int i = 0; i < 1_200; i++) {
      await(store.audit().record(new NewAuditEntry("alice", "trigger.create", "t" + i, null, "{}", null)));
    }
    await(store.close());
    Store later = await(SqliteStore.open(vertx, new SqliteStoreOptions().setDataDirectory(dataDir),
        Clock.fixed(CREATED.plus(Duration.ofDays(7)), ZoneOffset.UTC)));
    await(later.audit().record(new NewAuditEntry("bob", "trigger.delete", "t0", "{}", null, "req-1")));

    // WHEN a pass runs eight days after Jan 1st with a seven-day retention
    long eightDaysLater = CREATED.plus(Duration.ofDays(8)).toEpochMilli();
    long deleted = await(new HistoryPruner(vertx, later, Duration.ofDays(7), () -> eightDaysLater).prune());

    // THEN the 1,200 old entries went (over more than one batch) and the recent one stays
    assertThat(deleted).isEqualTo(1_200);
    assertThat(await(later.audit().list(new AuditQuery(null, null, null, null, 10))).entries())
        .extracting(AuditEntry::actor).containsExactly("bob");
    await(later.close());
  }

  /** Verifies that events younger than the retention are kept. */
  @Test
  void keepsEventsInsideTheRetention(Vertx vertx) {
    // GIVEN one delivered event created on Jan 1st
    Store store = await(SqliteStore.open(vertx, new SqliteStoreOptions().setDataDirectory(dataDir),
        Clock.fixed(CREATED, ZoneOffset.UTC)));
    await(store.createTrigger(new NewTrigger("t", "s", "{}", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")));
    await(store.markBaselined("t", BigInteger.ONE));
    await(store.commit(SourceCommit.of("s", BigInteger.TEN,
        List.of(new NewEvent("e", "t", "CLEAR", BigInteger.ONE, "[1]", "{}")), List.of())));
    await(OutboxSteps.deliver(store, CREATED.toEpochMilli(), Set.of("e"), new DeliveryAttempt(CREATED, 3, 204, null)));

    // WHEN a pass runs six days later with a seven-day retention
    long sixDaysLater = CREATED.plus(Duration.ofDays(6)).toEpochMilli();
    long deleted = await(new HistoryPruner(vertx, store, Duration.ofDays(7), () -> sixDaysLater).prune());

    // THEN nothing is deleted
    assertThat(deleted).isZero();
    assertThat(await(store.countEvents(EventStatus.DELIVERED))).isEqualTo(1);
    await(store.close());
  }
}
