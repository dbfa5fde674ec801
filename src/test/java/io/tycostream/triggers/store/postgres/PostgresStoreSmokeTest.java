package io.tycostream.triggers.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.testkit.TestMasterKeys;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PostgresStoreSmokeTest {

  @Test
  void opensMigratesAndClaims(Vertx vertx) throws Exception {
    Store store = await(PostgresStore.open(vertx, new PostgresStoreOptions()
      .setConnect(EmbeddedPostgresServer.newDatabase()).setSecretCipher(TestMasterKeys.cipher()), Clock.systemUTC()));
    await(store.createTrigger(new NewTrigger("t1", "positions", "{}", "s")));
    assertThat(await(store.listTriggers())).extracting("name").containsExactly("t1");
    await(store.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(60, TimeUnit.SECONDS);
  }
}
