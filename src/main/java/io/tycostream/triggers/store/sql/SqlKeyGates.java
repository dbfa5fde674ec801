package io.tycostream.triggers.store.sql;

import io.tycostream.triggers.store.KeyGateChange;
import io.tycostream.triggers.store.KeyGateStore;
import io.tycostream.triggers.store.SuppressedReason;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/** The {@link KeyGateStore} of {@link SqlStore}: statement {@code gates.load} (writes go with the commit). */
final class SqlKeyGates implements KeyGateStore {

  private final SqlDialect dialect;
  private final SqlStatements sql;
  private final Pool reader;

  SqlKeyGates(SqlDialect dialect, SqlStatements sql, Pool reader) {
    this.dialect = dialect;
    this.sql = sql;
    this.reader = reader;
  }

  @Override
  public Future<Map<String, KeyGateChange>> load(String name) {
    return reader.preparedQuery(sql.get("gates.load")).execute(Tuple.of(name)).map(rows -> {
      Map<String, KeyGateChange> gates = new HashMap<>(rows.size() * 2);
      for (Row row : rows) {
        String firedAt = row.getString("delivered_fire_at");
        gates.put(row.getString("key_json"), new KeyGateChange(name, row.getString("key_json"),
            firedAt == null ? null : new BigInteger(firedAt),
            SuppressedReason.of(row.getString("open_suppression")).orElse(null)));
      }
      return gates;
    }).recover(failure -> Future.failedFuture(dialect.translate(failure)));
  }
}
