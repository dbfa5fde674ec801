package io.tycostream.triggers.store.postgres;

import static io.tycostream.triggers.store.StoreFixture.NOW;
import static io.tycostream.triggers.store.StoreFixture.await;
import static io.tycostream.triggers.store.StoreFixture.event;
import static io.tycostream.triggers.store.StoreFixture.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.store.SourceCommit;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Verifies the outbox as a cluster uses it: several nodes, each with a store and pool of its own, claiming from one
 * database at the same time ({@code FOR UPDATE SKIP LOCKED}), which SQLite's single writer never has to handle.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresClusterClaimTest {

  private static final long T0 = NOW.toEpochMilli();
  private static final long LEASE_MS = 60_000;
  private static final int ROUNDS = 20;
  private static final int EVENTS_PER_ROUND = 60;
  private static final int CLAIMS_PER_NODE = 4;
  private static final int CLAIM_LIMIT = 7;

  private PostgresTestDatabase database;
  private Store nodeA;
  private Store nodeB;

  @BeforeEach
  void openNodes(Vertx vertx) {
    database = PostgresTestDatabase.create();
    nodeA = database.open(vertx);
    nodeB = database.open(vertx);
    await(nodeA.createTrigger(trigger("t1")));
    await(nodeA.markBaselined("t1", BigInteger.ONE));
  }

  @AfterEach
  void closeNodes() {
    try {
      await(Future.all(nodeA.close(), nodeB.close()));
    } finally {
      database.close();
    }
  }

  /**
   * Verifies that two nodes claiming at the same time, round after round, never get the same event while its lease
   * lasts, and together get every due event.
   */
  @Test
  void nodesClaimingTogetherNeverShareAnEventAndMissNone() throws Exception {
    // GIVEN two nodes on one database
    Map<String, String> claimedBy = new HashMap<>();
    List<String> duplicates = new ArrayList<>();

    // WHEN, round after round, new events are committed and both nodes claim in small slices at once (every lease
    // outlasts the test: the clock does not move)
    for (int round = 0; round < ROUNDS; round++) {
      commitRound(round);
      List<Future<List<StoredEvent>>> claimsA = new ArrayList<>();
      List<Future<List<StoredEvent>>> claimsB = new ArrayList<>();
      for (int i = 0; i < CLAIMS_PER_NODE; i++) {
        claimsA.add(nodeA.claimDue("node-a", T0, CLAIM_LIMIT, LEASE_MS, Set.of()));
        claimsB.add(nodeB.claimDue("node-b", T0, CLAIM_LIMIT, LEASE_MS, Set.of()));
      }
      collect(claimsA, "node-a", claimedBy, duplicates);
      collect(claimsB, "node-b", claimedBy, duplicates);
    }
    // AND then both drain what is left
    boolean drained;
    do {
      Future<List<StoredEvent>> restA = nodeA.claimDue("node-a", T0, 1_000, LEASE_MS, Set.of());
      Future<List<StoredEvent>> restB = nodeB.claimDue("node-b", T0, 1_000, LEASE_MS, Set.of());
      drained = await(restA).isEmpty() && await(restB).isEmpty();
      collect(List.of(restA), "node-a", claimedBy, duplicates);
      collect(List.of(restB), "node-b", claimedBy, duplicates);
    } while (!drained);

    // THEN no event was handed out twice, every committed event was handed out, both nodes took part, and the
    // database holds each event's lease for the node that received it
    long total = (long) ROUNDS * EVENTS_PER_ROUND;
    assertThat(duplicates).isEmpty();
    assertThat(claimedBy).hasSize((int) total);
    long byA = claimedBy.values().stream().filter("node-a"::equals).count();
    assertThat(byA).isBetween(1L, total - 1);
    assertThat(leasesOf("node-a")).isEqualTo(byA);
    assertThat(leasesOf("node-b")).isEqualTo(total - byA);
  }

  private void commitRound(int round) {
    List<NewEvent> events = new ArrayList<>();
    for (int i = 0; i < EVENTS_PER_ROUND; i++) {
      events.add(event(String.format("r%02d-%03d", round, i), "t1"));
    }
    await(nodeA.commit(SourceCommit.of("positions", BigInteger.valueOf(round + 1L), events, List.of())));
  }

  private long leasesOf(String node) throws Exception {
    return ((Number) database.queryValue("SELECT count(*) FROM events WHERE claimed_by = '" + node
      + "' AND claimed_until = " + (T0 + LEASE_MS))).longValue();
  }

  private static void collect(List<Future<List<StoredEvent>>> claims, String node, Map<String, String> claimedBy,
                              List<String> duplicates) {
    for (Future<List<StoredEvent>> claim : claims) {
      for (StoredEvent event : await(claim)) {
        String earlier = claimedBy.putIfAbsent(event.eventId(), node);
        if (earlier != null) {
          duplicates.add(event.eventId() + " to " + node + " after " + earlier);
        }
      }
    }
  }
}
