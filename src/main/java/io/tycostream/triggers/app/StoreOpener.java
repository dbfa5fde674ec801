package io.tycostream.triggers.app;

import io.tycostream.triggers.config.SecretsConfig;
import io.tycostream.triggers.config.StoreType;
import io.tycostream.triggers.config.TriggersConfig;
import io.tycostream.triggers.secret.MasterKey;
import io.tycostream.triggers.secret.MasterKeyFile;
import io.tycostream.triggers.secret.SecretCipher;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.postgres.PostgresStore;
import io.tycostream.triggers.store.postgres.PostgresStoreOptions;
import io.tycostream.triggers.store.sqlite.SqliteStore;
import io.tycostream.triggers.store.sqlite.SqliteStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the configured store with the configured master key: used by the application at start and by the
 * {@code --reencrypt-secrets} command. Stateless.
 */
final class StoreOpener {

  private static final Logger LOG = LoggerFactory.getLogger(StoreOpener.class);

  private StoreOpener() {
  }

  /**
   * Reads (or, for a key file, first creates) the master key on a worker thread, then opens and migrates the store,
   * which checks every stored secret against the keys.
   *
   * @return the store, or a failure whose message says which store failed and why
   */
  static Future<Store> open(Vertx vertx, TriggersConfig config) {
    return vertx.executeBlocking(() -> cipher(config.secrets()))
        .recover(failure -> Future.failedFuture(new IllegalStateException(
            "the master key for webhook secrets cannot be used: " + failure.getMessage(), failure)))
        .compose(cipher -> config.store().type() == StoreType.POSTGRES
            ? openPostgres(vertx, config, cipher)
            : openSqlite(vertx, config, cipher));
  }

  /** The cipher of {@code secrets}: the configured key, else the key file; previous keys open old ciphertexts. */
  static SecretCipher cipher(SecretsConfig secrets) {
    MasterKey current;
    if (secrets.masterKey() != null) {
      current = MasterKey.fromBase64(secrets.masterKey());
      LOG.info("webhook secrets encrypted under the configured master key [key id: {}]", current.id());
    } else {
      current = MasterKeyFile.readOrCreate(secrets.masterKeyFile());
      LOG.info("webhook secrets encrypted under the master key file [file: {}, key id: {}]",
          secrets.masterKeyFile().toAbsolutePath(), current.id());
    }
    List<MasterKey> previous = secrets.previousMasterKeys().stream().map(MasterKey::fromBase64).toList();
    return SecretCipher.create(current, previous);
  }

  private static Future<Store> openPostgres(Vertx vertx, TriggersConfig config, SecretCipher cipher) {
    PostgresStoreOptions options = ComponentOptions.postgresStore(config, System.getenv()).setSecretCipher(cipher);
    String where = options.getConnect().getHost() + ":" + options.getConnect().getPort() + "/"
        + options.getConnect().getDatabase();
    return PostgresStore.open(vertx, options, Clock.systemUTC())
        .onSuccess(opened -> LOG.info("store open [postgres: {}, pool size: {}]", where, options.getPoolSize()))
        .recover(failure -> Future.failedFuture(new IllegalStateException(
            "opening the PostgreSQL store at " + where + " failed: " + failure.getMessage(), failure)));
  }

  private static Future<Store> openSqlite(Vertx vertx, TriggersConfig config, SecretCipher cipher) {
    SqliteStoreOptions options = ComponentOptions.store(config).setSecretCipher(cipher);
    return SqliteStore.open(vertx, options, Clock.systemUTC())
        .onSuccess(opened -> LOG.info("store open [file: {}]", options.databaseFile().toAbsolutePath()))
        .recover(failure -> Future.failedFuture(new IllegalStateException(
            "opening the store at " + options.databaseFile().toAbsolutePath() + " failed: " + failure.getMessage(),
            failure)));
  }
}
