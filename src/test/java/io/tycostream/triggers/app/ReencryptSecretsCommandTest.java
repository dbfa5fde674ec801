package io.tycostream.triggers.app;

import static io.tycostream.triggers.testkit.Blocking.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.config.ConfigLoader;
import io.tycostream.triggers.config.TriggersConfig;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.sqlite.SqliteStore;
import io.tycostream.triggers.store.sqlite.SqliteStoreOptions;
import io.tycostream.triggers.testkit.TestMasterKeys;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Verifies the {@code --reencrypt-secrets} command against a real SQLite data directory. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReencryptSecretsCommandTest {

  @TempDir
  Path dir;

  /** Verifies that the command moves every secret to the configured key's id, keeping the secrets. */
  @Test
  void movesSecretsToTheCurrentKeyId(Vertx vertx) throws Exception {
    // GIVEN a data directory whose triggers were sealed under the first key
    Path dataDir = dir.resolve("data");
    SqliteStoreOptions first = new SqliteStoreOptions().setDataDirectory(dataDir)
        .setSecretCipher(TestMasterKeys.cipher());
    Store store = await(SqliteStore.open(vertx, first, Clock.systemUTC()));
    await(store.createTrigger(new NewTrigger("t1", "positions", "{}", "secret-1")));
    await(store.close());

    // WHEN the command runs with the second key current and the first previous
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "data_dir: " + dataDir + "\n", StandardCharsets.UTF_8);
    TriggersConfig config = ConfigLoader.load(file, Map.of(
        "TYCOSTREAM_SECRETS__MASTER_KEY", TestMasterKeys.SECOND.toBase64(),
        "TYCOSTREAM_SECRETS__PREVIOUS_MASTER_KEYS", TestMasterKeys.FIRST.toBase64()));
    int rewritten = ReencryptSecretsCommand.run(config);

    // THEN the row is sealed under the second key id and no key file was created
    assertThat(rewritten).isEqualTo(1);
    try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + first.databaseFile());
         Statement statement = conn.createStatement();
         ResultSet rows = statement.executeQuery("SELECT secret FROM triggers WHERE name = 't1'")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).startsWith("v1:" + TestMasterKeys.SECOND.id() + ":");
    }
    assertThat(dataDir.resolve("master.key")).doesNotExist();
  }
}
