package io.tycostream.triggers.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.testkit.TestMasterKeys;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.SourceCommit;
import io.tycostream.triggers.store.SourceOwner;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgConnectOptions;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes on one PostgreSQL database (two stores, two pools): once the second takes a source, the first's commits
 * of it are refused in their own transaction and write nothing, whatever the first believes.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PostgresSourceFencingTest {

  private Store first;
  private Store second;

  @BeforeEach
  void open(Vertx vertx) throws Exception {
    PgConnectOptions database = EmbeddedPostgresServer.newDatabase();
    first = await(PostgresStore.open(vertx, new PostgresStoreOptions().setConnect(database)
        .setSecretCipher(TestMasterKeys.cipher()), Clock.systemUTC()));
    second = await(PostgresStore.open(vertx, new PostgresStoreOptions().setConnect(database)
        .setSecretCipher(TestMasterKeys.cipher()), Clock.systemUTC()));
    await(first.createTrigger(new NewTrigger("t1", "positions", "{}", "s")));
  }

  @AfterEach
  void close() throws Exception {
    await(first.close());
    await(second.close());
  }

  /** Verifies that a former owner's commit fails FENCED and leaves checkpoint and outbox as the new owner left them. */
  @Test
  void formerOwnerCannotCommitAfterATakeOver() throws Exception {
    // GIVEN node-a owns the source and has committed up to 100
    assertThat(await(first.takeSource("positions", "node-a"))).isEqualTo(1L);
    await(first.commit(commit(100, "e1")));

    // WHEN node-b takes it over and commits, then node-a (which never noticed) commits again
    assertThat(await(second.takeSource("positions", "node-b"))).isEqualTo(2L);
    await(second.commit(commit(200, "e2")));
    Throwable refused = failureOf(first.commit(commit(300, "e3")));

    // THEN node-a's commit is refused as FENCED and wrote nothing; node-b's stands
    assertThat(refused).isInstanceOf(StoreException.class);
    assertThat(((StoreException) refused).storeCode()).isEqualTo(StoreErrorCode.FENCED);
    assertThat(await(second.loadCheckpoint("positions"))).contains(BigInteger.valueOf(200));
    assertThat(await(second.getEvent("e3"))).isEmpty();
    assertThat(await(second.getEvent("e2"))).isPresent();
    assertThat(await(second.listSourceOwners())).extracting(SourceOwner::owner, SourceOwner::epoch)
      .containsExactly(org.assertj.core.groups.Tuple.tuple("node-b", 2L));
  }

  /** Verifies that taking a source back gives a new epoch, so the old fence of the same node is refused too. */
  @Test
  void everyTakeOverRaisesTheEpoch() throws Exception {
    // GIVEN node-a took the source, lost it to node-b, and took it back through another store instance
    await(first.takeSource("positions", "node-a"));
    await(second.takeSource("positions", "node-b"));
    long third = await(second.takeSource("positions", "node-a"));

    // WHEN the first instance, still holding epoch 1, commits
    Throwable refused = failureOf(first.commit(commit(100, "e1")));

    // THEN the epoch moved on and the stale fence is refused although the owner name matches
    assertThat(third).isEqualTo(3L);
    assertThat(((StoreException) refused).storeCode()).isEqualTo(StoreErrorCode.FENCED);
    assertThat(await(second.loadCheckpoint("positions"))).isEqualTo(Optional.empty());
  }

  private static SourceCommit commit(long frontier, String eventId) {
    return SourceCommit.of("positions", BigInteger.valueOf(frontier),
      List.of(new NewEvent(eventId, "t1", "FIRE", BigInteger.valueOf(frontier - 1), "[1]", "{\"id\":1}")), List.of());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(60, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(Future<?> future) {
    try {
      future.await(60, TimeUnit.SECONDS);
    } catch (Throwable failure) {
      return failure;
    }
    throw new AssertionError("expected the call to fail");
  }
}
