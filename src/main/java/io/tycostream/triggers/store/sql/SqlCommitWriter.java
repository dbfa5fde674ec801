package io.tycostream.triggers.store.sql;

import io.tycostream.triggers.store.KeyGateChange;
import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.store.SourceCommit;
import io.tycostream.triggers.store.StateChange;
import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.tycostream.triggers.store.TriggerActivation;
import io.tycostream.triggers.store.TriggerBaseline;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link SourceCommit} in one transaction (design.md §3.2): checkpoint first, so a stale frontier is refused
 * before anything else is written; then baselines, activations, events and net state changes as batched statements.
 * <p>
 * Threading: see {@link io.tycostream.triggers.store.Store}; this class holds no mutable state.
 */
final class SqlCommitWriter {

  private final SqlDialect dialect;
  private final SqlStatements sql;
  private final Pool writer;
  private final Clock clock;

  SqlCommitWriter(SqlDialect dialect, SqlStatements sql, Pool writer, Clock clock) {
    this.dialect = dialect;
    this.sql = sql;
    this.writer = writer;
    this.clock = clock;
  }

  /** The ownership a commit must still hold: the owner and the epoch it took the source with. */
  record Fence(String owner, long epoch) {
  }

  /**
   * @param fence checked first, in the same transaction, so a commit of a former owner writes nothing; {@code null}
   *              commits unfenced (the source was not taken through this store)
   */
  Future<Void> commit(SourceCommit commit, Fence fence) {
    long now = clock.millis();
    String frontier = commit.frontier().toString();
    return dialect.inTransaction(writer, conn -> checkFence(conn, commit.source(), fence)
      .compose(owned -> advanceCheckpoint(conn, commit.source(), frontier, now))
      .compose(advanced -> applyBaselines(conn, commit.baselines(), frontier, now))
      .compose(baselined -> activate(conn, commit.activations(), now))
      .compose(activated -> insertEvents(conn, commit.events(), now))
      .compose(inserted -> applyStateChanges(conn, commit.changes(), frontier))
      .compose(applied -> applyGateChanges(conn, commit.gates())));
  }

  private Future<Void> checkFence(SqlConnection conn, String source, Fence fence) {
    if (fence == null) {
      return Future.succeededFuture();
    }
    // an UPDATE, not a SELECT: it locks the row, so a take-over waits for this commit or this commit sees it
    return conn.preparedQuery(sql.get("owner.fence")).execute(Tuple.of(source, fence.owner(), fence.epoch()))
      .compose(rows -> rows.rowCount() > 0
        ? Future.succeededFuture()
        : Future.failedFuture(new StoreException(StoreErrorCode.FENCED, "source '" + source + "' was taken over by "
          + "another node: this node's ownership (epoch " + fence.epoch() + ") ended")));
  }

  private Future<Void> advanceCheckpoint(SqlConnection conn, String source, String frontier, long now) {
    return conn.preparedQuery(sql.get("checkpoint.advance")).execute(Tuple.of(source, frontier, now))
      .compose(rows -> rows.rowCount() > 0
        ? Future.succeededFuture()
        : conn.preparedQuery(sql.get("checkpoint.get")).execute(Tuple.of(source))
          .compose(stored -> Future.failedFuture(staleFrontier(source, frontier, stored))));
  }

  private static StoreException staleFrontier(String source, String frontier, RowSet<Row> stored) {
    String current = stored.size() == 0 ? "none" : stored.iterator().next().getString("frontier");
    return new StoreException(StoreErrorCode.CONFLICT,
      "checkpoint of source " + source + " is " + current + ", refusing to move it back to " + frontier);
  }

  private Future<Void> applyBaselines(SqlConnection conn, List<TriggerBaseline> baselines, String frontier,
                                      long now) {
    Future<Void> chain = Future.succeededFuture();
    for (TriggerBaseline baseline : baselines) {
      chain = chain.compose(previous -> applyBaseline(conn, baseline, frontier, now));
    }
    return chain;
  }

  private Future<Void> applyBaseline(SqlConnection conn, TriggerBaseline baseline, String frontier, long now) {
    List<Tuple> rows = new ArrayList<>(baseline.matched().size());
    baseline.matched().forEach((key, row) -> rows.add(Tuple.of(key, row, frontier, baseline.triggerName())));
    // a fresh-snapshot attempt may have staged FIREs for it: this baseline supersedes them
    return conn.preparedQuery(sql.get("event.delete_staged"))
      .execute(Tuple.of(baseline.triggerName(), baseline.triggerName()))
      .compose(staged -> conn.preparedQuery(sql.get("state.delete_trigger")).execute(Tuple.of(baseline.triggerName())))
      .compose(cleared -> batch(conn, "state.upsert", rows))
      .compose(stored -> conn.preparedQuery(sql.get("trigger.mark_baselined"))
        .execute(Tuple.of(frontier, now, baseline.triggerName())))
      .mapEmpty();
  }

  private Future<Void> activate(SqlConnection conn, List<TriggerActivation> activations, long now) {
    List<Tuple> rows = new ArrayList<>(activations.size());
    for (TriggerActivation activation : activations) {
      rows.add(Tuple.of(activation.baselineFrontier().toString(), now, activation.triggerName()));
    }
    return batch(conn, "trigger.mark_baselined", rows);
  }

  private Future<Void> insertEvents(SqlConnection conn, List<NewEvent> events, long now) {
    List<Tuple> rows = new ArrayList<>(events.size());
    List<Tuple> suppressed = new ArrayList<>();
    for (NewEvent event : events) {
      Tuple row = Tuple.of(event.eventId(), event.eventType(), event.sourceTimestamp().toString(), event.keyJson(),
        event.dataJson(), now, now, event.triggerName());
      if (event.suppressed() == null) {
        rows.add(row);
      } else {
        suppressed.add(row.addString(event.suppressed().dbValue()));
      }
    }
    // the two kinds touch different event ids, so their order does not matter
    return batch(conn, "event.insert", rows).compose(inserted -> batch(conn, "event.insert_suppressed", suppressed));
  }

  /** Delivery-gate memory (#11): the last change per (trigger, key) wins. */
  private Future<Void> applyGateChanges(SqlConnection conn, List<KeyGateChange> changes) {
    Map<List<String>, KeyGateChange> last = new LinkedHashMap<>();
    changes.forEach(change -> last.put(List.of(change.triggerName(), change.keyJson()), change));
    List<Tuple> upserts = new ArrayList<>();
    List<Tuple> deletes = new ArrayList<>();
    for (KeyGateChange change : last.values()) {
      if (change.isForgotten()) {
        deletes.add(Tuple.of(change.triggerName(), change.keyJson()));
      } else {
        upserts.add(Tuple.of(change.keyJson(),
          change.deliveredFireAt() == null ? null : change.deliveredFireAt().toString(),
          change.openSuppression() == null ? null : change.openSuppression().dbValue(), change.triggerName()));
      }
    }
    return batch(conn, "gates.upsert", upserts).compose(upserted -> batch(conn, "gates.delete", deletes));
  }

  private Future<Void> applyStateChanges(SqlConnection conn, List<StateChange> changes, String frontier) {
    List<Tuple> upserts = new ArrayList<>();
    List<Tuple> deletes = new ArrayList<>();
    for (StateChange change : netChanges(changes)) {
      if (change.isCleared()) {
        deletes.add(Tuple.of(change.triggerName(), change.keyJson()));
      } else {
        upserts.add(Tuple.of(change.keyJson(), change.rowJson(), frontier, change.triggerName()));
      }
    }
    return batch(conn, "state.upsert", upserts).compose(upserted -> batch(conn, "state.delete", deletes));
  }

  /** The last change per (trigger, key), so upserts and deletes touch disjoint keys and their order is free. */
  private static Iterable<StateChange> netChanges(List<StateChange> changes) {
    Map<List<String>, StateChange> last = new LinkedHashMap<>();
    for (StateChange change : changes) {
      last.put(List.of(change.triggerName(), change.keyJson()), change);
    }
    return last.values();
  }

  private Future<Void> batch(SqlConnection conn, String statement, List<Tuple> rows) {
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(sql.get(statement)).executeBatch(rows).mapEmpty();
  }
}
