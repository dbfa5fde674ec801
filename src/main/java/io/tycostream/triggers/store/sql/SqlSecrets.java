package io.tycostream.triggers.store.sql;

import io.tycostream.triggers.secret.SecretCipher;
import io.tycostream.triggers.secret.UnreadableSecretException;
import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.tycostream.triggers.store.StoredTrigger;
import io.tycostream.triggers.store.TriggerStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook secrets at rest: sealed with the {@link SecretCipher} on the way in, opened on the way out, checked
 * against the configured master keys when the store opens ({@link #prepare}), and re-encrypted under the current key
 * on request ({@link #reseal}).
 * <p>
 * Secrets of databases older than sealing are plaintext; {@link #prepare} seals them, and until then (a node of an
 * older build writing during a rolling upgrade) a plaintext value is read as it is.
 * <p>
 * Thread-safe: the cipher is set once by {@link #prepare} and immutable.
 */
final class SqlSecrets {

  private static final Logger LOG = LoggerFactory.getLogger(SqlSecrets.class);

  private final SqlDialect dialect;
  private final SqlStatements sql;
  private final Pool writer;
  private final Pool reader;
  private final Clock clock;
  private final Supplier<Future<SecretCipher>> cipherSource;
  private volatile SecretCipher cipher;

  SqlSecrets(SqlDialect dialect, SqlStatements sql, Pool writer, Pool reader, Clock clock,
             Supplier<Future<SecretCipher>> cipherSource) {
    this.dialect = dialect;
    this.sql = sql;
    this.writer = writer;
    this.reader = reader;
    this.clock = clock;
    this.cipherSource = Objects.requireNonNull(cipherSource, "cipherSource");
  }

  /**
   * Gets the cipher, opens every stored secret (failing with {@link StoreErrorCode#UNREADABLE_SECRET} at the first
   * one that does not open), seals legacy plaintext and drops replaced secrets whose overlap ended.
   */
  Future<Void> prepare() {
    return cipherSource.get()
      .compose(loaded -> {
        cipher = loaded;
        return rewrite(false);
      })
      .map(rewritten -> {
        if (rewritten.sealedPlaintext() > 0) {
          LOG.info("webhook secrets stored as plaintext are now encrypted [triggers: {}, key id: {}]",
            rewritten.sealedPlaintext(), cipher.currentKeyId());
        }
        if (rewritten.underPreviousKeys() > 0) {
          LOG.warn("webhook secrets are encrypted under a previous master key; run --reencrypt-secrets to move them "
            + "to the current key before that key is removed [triggers: {}, current key id: {}]",
            rewritten.underPreviousKeys(), cipher.currentKeyId());
        }
        return null;
      });
  }

  /** Re-encrypts every secret not sealed under the current key; see {@code Store#resealSecrets}. */
  Future<Integer> reseal() {
    return rewrite(true).map(Rewritten::rows);
  }

  /** Seals {@code secret} of trigger {@code name} for storage. */
  String seal(String name, String secret) {
    return cipher().seal(name, secret);
  }

  /** A trigger row with its secrets opened. */
  StoredTrigger trigger(Row row) {
    String name = row.getString("name");
    String baseline = row.getString("baseline_frontier");
    Object expires = row.getValue("previous_secret_expires_at");
    String previous = row.getString("previous_secret");
    return new StoredTrigger(name, row.getString("source"), row.getString("definition"),
      open(name, row.getString("secret")), previous == null ? null : open(name, previous),
      previous == null || expires == null ? null : Instant.ofEpochMilli(((Number) expires).longValue()),
      TriggerStatus.fromDbValue(row.getString("status")), baseline == null ? null : new BigInteger(baseline),
      SqlRows.instant(row, "created_at"), SqlRows.instant(row, "updated_at"), row.getString("created_by"),
      row.getString("updated_by"), SqlRows.number(row, "version"), SqlRows.number(row, "enabled") != 0,
      SqlRows.number(row, "reconcile_pending") != 0);
  }

  private String open(String name, String stored) {
    if (!SecretCipher.isSealed(stored)) {
      return stored;
    }
    try {
      return cipher().open(name, stored);
    } catch (UnreadableSecretException unreadable) {
      throw new StoreException(StoreErrorCode.UNREADABLE_SECRET, unreadable.getMessage(), unreadable);
    }
  }

  private SecretCipher cipher() {
    SecretCipher loaded = cipher;
    if (loaded == null) {
      throw new StoreException(StoreErrorCode.INTERNAL, "the store's secrets are used before migrate()");
    }
    return loaded;
  }

  /** What one pass over the stored secrets did. */
  private record Rewritten(int rows, int sealedPlaintext, int underPreviousKeys) {
  }

  /** One trigger's stored secrets as read, and what they become. */
  private record SecretRow(String name, String secret, String previous, Long expiresAt) {
  }

  private Future<Rewritten> rewrite(boolean toCurrentKey) {
    long now = clock.millis();
    return reader.query(sql.get("trigger.secrets")).execute()
      .compose(rows -> {
        List<Tuple> updates = new ArrayList<>();
        int plaintext = 0;
        int previousKeys = 0;
        for (Row row : rows) {
          Object expires = row.getValue("previous_secret_expires_at");
          SecretRow read = new SecretRow(row.getString("name"), row.getString("secret"),
            row.getString("previous_secret"), expires == null ? null : ((Number) expires).longValue());
          // opening every secret is the start-up check: a wrong or missing master key stops here, naming the key id
          String secret = open(read.name(), read.secret());
          boolean expired = read.previous() != null && (read.expiresAt() == null || read.expiresAt() <= now);
          String previous = read.previous() == null || expired ? null : open(read.name(), read.previous());
          boolean legacy = !SecretCipher.isSealed(read.secret())
            || (previous != null && !SecretCipher.isSealed(read.previous()));
          boolean stale = !cipher.isCurrent(read.secret()) || (previous != null && !cipher.isCurrent(read.previous()));
          plaintext += legacy ? 1 : 0;
          previousKeys += stale && !legacy ? 1 : 0;
          if (legacy || expired || (toCurrentKey && stale)) {
            updates.add(Tuple.of(reseal(read.name(), read.secret(), secret, toCurrentKey),
              previous == null ? null : reseal(read.name(), read.previous(), previous, toCurrentKey),
              previous == null ? null : read.expiresAt(), read.name(), read.secret(), read.previous()));
          }
        }
        int legacyRows = plaintext;
        int staleRows = toCurrentKey ? 0 : previousKeys;
        if (updates.isEmpty()) {
          return Future.succeededFuture(new Rewritten(0, legacyRows, staleRows));
        }
        return dialect.inErasingTransaction(writer, conn -> conn.preparedQuery(sql.get("trigger.reseal_secrets"))
            .executeBatch(updates))
          .map(resealed -> new Rewritten(updates.size(), legacyRows, staleRows));
      });
  }

  /** The stored form a secret is rewritten to: sealed under the current key when asked or when it is plaintext. */
  private String reseal(String name, String stored, String opened, boolean toCurrentKey) {
    boolean rewrite = !SecretCipher.isSealed(stored) || (toCurrentKey && !cipher.isCurrent(stored));
    return rewrite ? cipher.seal(name, opened) : stored;
  }
}
