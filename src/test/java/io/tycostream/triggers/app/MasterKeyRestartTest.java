package io.tycostream.triggers.app;

import static io.tycostream.triggers.testkit.Blocking.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.config.ConfigLoader;
import io.tycostream.triggers.config.TriggersConfig;
import io.tycostream.triggers.secret.MasterKey;
import io.tycostream.triggers.secret.MasterKeyFile;
import io.tycostream.triggers.secret.SecretCipher;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.sqlite.SqliteStore;
import io.tycostream.triggers.store.sqlite.SqliteStoreOptions;
import io.tycostream.triggers.testkit.TestApiKeys;
import io.tycostream.triggers.testkit.TestMasterKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that the whole application, started from the production configuration ({@code conf/production.yaml}) with
 * its environment overrides, refuses to start over a data directory whose webhook secrets were sealed under another
 * master key: a wrong {@code TYCOSTREAM_SECRETS__MASTER_KEY}, or a key file that went missing (a new one is created,
 * and the start still fails). The failure names the trigger and both key ids; nothing starts that could sign.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MasterKeyRestartTest {

  @TempDir
  Path dir;

  /** Verifies that a restart with a wrong master key in the environment fails, naming the key it lacks. */
  @Test
  void restartWithAWrongMasterKeyFailsClearly(Vertx vertx) {
    // GIVEN a data directory that served under the first key and holds a trigger sealed under it
    Path dataDir = dir.resolve("data");
    startAndStop(vertx, config(dataDir, TestMasterKeys.FIRST));
    storeTrigger(vertx, dataDir, TestMasterKeys.FIRST, "risk_alert");
    startAndStop(vertx, config(dataDir, TestMasterKeys.FIRST));

    // WHEN the application starts again with the second key
    TriggersApplication wrong = new TriggersApplication(vertx, config(dataDir, TestMasterKeys.SECOND));
    Throwable failure = failureOf(wrong);

    // THEN the start fails and says which trigger needs which key, and which key is configured
    assertThat(failure.getMessage())
        .contains("trigger 'risk_alert'")
        .contains("master key id '" + TestMasterKeys.FIRST.id() + "'")
        .contains("not configured")
        .contains(TestMasterKeys.SECOND.id());
    assertThat(failure.getMessage()).doesNotContain(TestMasterKeys.FIRST.toBase64())
        .doesNotContain(TestMasterKeys.SECOND.toBase64());
    await(wrong.stop().recover(ignored -> Future.succeededFuture()));

    // AND the right key still starts it (nothing was rewritten by the failed start)
    startAndStop(vertx, config(dataDir, TestMasterKeys.FIRST));
  }

  /** Verifies that a restart after the master key file was lost fails, although a new key file is created. */
  @Test
  void restartWithoutTheMasterKeyFileFailsClearly(Vertx vertx) throws Exception {
    // GIVEN a data directory whose first start created the key file, and a trigger sealed under that key
    Path dataDir = dir.resolve("data");
    startAndStop(vertx, config(dataDir, null));
    Path keyFile = dataDir.resolve(MasterKeyFile.DEFAULT_FILE_NAME);
    MasterKey original = MasterKeyFile.readOrCreate(keyFile);
    storeTrigger(vertx, dataDir, original, "risk_alert");

    // WHEN the key file is lost and the application starts again
    Files.delete(keyFile);
    TriggersApplication restarted = new TriggersApplication(vertx, config(dataDir, null));
    Throwable failure = failureOf(restarted);
    await(restarted.stop().recover(ignored -> Future.succeededFuture()));

    // THEN the start fails naming the trigger and the lost key's id
    assertThat(failure.getMessage()).contains("trigger 'risk_alert'")
        .contains("master key id '" + original.id() + "'").contains("not configured");
  }

  /** {@code conf/production.yaml} on loopback, port 0, in {@code dataDir}, with the master key when given. */
  private static TriggersConfig config(Path dataDir, MasterKey masterKey) {
    Map<String, String> env = new HashMap<>(Map.of(
        "TYCOSTREAM_DATA_DIR", dataDir.toString(),
        "TYCOSTREAM_ADMIN__HOST", "127.0.0.1",
        "TYCOSTREAM_ADMIN__PORT", "0",
        "TYCOSTREAM_ADMIN__BOOTSTRAP_KEY", TestApiKeys.ADMIN));
    if (masterKey != null) {
      env.put("TYCOSTREAM_SECRETS__MASTER_KEY", masterKey.toBase64());
    }
    return ConfigLoader.load(Path.of("conf/production.yaml"), env);
  }

  private static void startAndStop(Vertx vertx, TriggersConfig config) {
    TriggersApplication application = new TriggersApplication(vertx, config);
    await(application.start());
    await(application.stop());
  }

  private static Throwable failureOf(TriggersApplication application) {
    try {
      await(application.start());
    } catch (Throwable failure) {
      return failure;
    }
    await(application.stop());
    throw new AssertionError("the application started");
  }

  /** Stores a trigger sealed under {@code key} while the application is stopped (as an earlier run would have). */
  private static void storeTrigger(Vertx vertx, Path dataDir, MasterKey key, String name) {
    Store store = await(SqliteStore.open(vertx, new SqliteStoreOptions().setDataDirectory(dataDir)
        .setSecretCipher(SecretCipher.create(key, List.of())), Clock.systemUTC()));
    await(store.createTrigger(new NewTrigger(name, "positions", "{}", "whsec_" + "QUJD".repeat(8))));
    await(store.close());
  }
}
