package io.tycostream.triggers.store.sql;

import io.tycostream.triggers.store.ApiKeyRemoval;
import io.tycostream.triggers.store.ApiKeyStore;
import io.tycostream.triggers.store.StoredApiKey;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@link ApiKeyStore} of {@link SqlStore}: statements {@code apikey.*} of the dialect. Stateless. */
final class SqlApiKeys implements ApiKeyStore {

  private final SqlDialect dialect;
  private final SqlStatements sql;
  private final Pool writer;
  private final Pool reader;

  SqlApiKeys(SqlDialect dialect, SqlStatements sql, Pool writer, Pool reader) {
    this.dialect = dialect;
    this.sql = sql;
    this.writer = writer;
    this.reader = reader;
  }

  @Override
  public Future<Boolean> createApiKey(StoredApiKey key) {
    Tuple row = Tuple.of(key.name(), key.role(), key.keyHash(), key.createdAt().toEpochMilli(), key.createdBy(),
        key.expiresAt() == null ? null : key.expiresAt().toEpochMilli());
    return translated(writer.preparedQuery(sql.get("apikey.insert")).execute(row).map(rows -> rows.size() > 0));
  }

  @Override
  public Future<Void> putBootstrapKey(StoredApiKey key) {
    Tuple row = Tuple.of(key.name(), key.keyHash(), key.createdAt().toEpochMilli(), key.createdBy());
    return translated(writer.preparedQuery(sql.get("apikey.put_bootstrap")).execute(row).mapEmpty());
  }

  @Override
  public Future<Optional<StoredApiKey>> findApiKeyByHash(String keyHash) {
    return translated(reader.preparedQuery(sql.get("apikey.find_by_hash")).execute(Tuple.of(keyHash))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(key(rows.iterator().next()))));
  }

  @Override
  public Future<List<StoredApiKey>> listApiKeys() {
    return translated(reader.query(sql.get("apikey.list")).execute().map(rows -> {
      List<StoredApiKey> keys = new ArrayList<>(rows.size());
      rows.forEach(row -> keys.add(key(row)));
      return keys;
    }));
  }

  @Override
  public Future<Long> countApiKeys() {
    return translated(reader.query(sql.get("apikey.count")).execute()
        .map(rows -> SqlRows.number(rows.iterator().next(), "key_count")));
  }

  @Override
  public Future<ApiKeyRemoval> deleteApiKey(String name, long nowMs) {
    return translated(writer.preparedQuery(sql.get("apikey.delete")).execute(Tuple.of(name, name, nowMs))
        .compose(deleted -> deleted.rowCount() > 0
            ? Future.succeededFuture(ApiKeyRemoval.REMOVED)
            : listApiKeys().map(keys -> keys.stream().anyMatch(key -> key.name().equals(name))
                ? ApiKeyRemoval.LAST_ADMIN : ApiKeyRemoval.NOT_FOUND)));
  }

  private static StoredApiKey key(Row row) {
    return new StoredApiKey(row.getString("name"), row.getString("role"), row.getString("key_hash"),
        SqlRows.instant(row, "created_at"), row.getString("created_by"), SqlRows.nullableInstant(row, "expires_at"));
  }

  private <T> Future<T> translated(Future<T> result) {
    return result.recover(failure -> Future.failedFuture(dialect.translate(failure)));
  }
}
