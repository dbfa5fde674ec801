package io.tycostream.triggers.store.sql;

import io.tycostream.triggers.secret.SecretCipher;
import io.tycostream.triggers.store.AlertOutbox;
import io.tycostream.triggers.store.BatchOutbox;
import io.tycostream.triggers.store.ApiKeyStore;
import io.tycostream.triggers.store.OutboxAdmin;
import io.tycostream.triggers.store.AuditStore;
import io.tycostream.triggers.store.ExpiryStore;
import io.tycostream.triggers.store.HistoryStore;
import io.tycostream.triggers.store.KeyGateStore;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.OutboxOutcome;
import io.tycostream.triggers.store.RecordedAttempt;
import io.tycostream.triggers.store.SourceCommit;
import io.tycostream.triggers.store.SourceOwner;
import io.tycostream.triggers.store.StagedBaseline;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.tycostream.triggers.store.StoredEvent;
import io.tycostream.triggers.store.StoredTrigger;
import io.tycostream.triggers.store.TriggerFilter;
import io.tycostream.triggers.store.TriggerLimits;
import io.tycostream.triggers.store.TriggerPage;
import io.tycostream.triggers.store.TriggerStatus;
import io.tycostream.triggers.store.TriggerUpdate;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link Store} over {@code io.vertx.sqlclient.Pool}s, shared by every dialect: the SQL comes from the dialect's
 * {@link SqlStatements}, transactions and error translation from its {@link SqlDialect}.
 * <p>
 * Writes go through {@code writer}, queries through {@code reader} (the same pool is fine where the database allows
 * concurrent writers). Applications do not build this directly; they use a dialect's factory such as
 * {@code SqliteStore}.
 * <p>
 * Threading: as {@link Store}; holds no mutable state besides the pools.
 */
public final class SqlStore implements Store {

  private final SqlDialect dialect;
  private final SqlStatements sql;
  private final Pool writer;
  private final Pool reader;
  private final Clock clock;
  private final Supplier<Future<Integer>> migrations;
  private final SqlCommitWriter commitWriter;
  private final SqlOutbox outbox;
  private final SqlApiKeys apiKeys;
  private final SqlOutboxAdmin outboxAdmin;
  private final SqlExpiry expiry;
  private final SqlHistory history;
  private final SqlKeyGates gates;
  private final SqlAudit audit;
  private final SqlBatchOutbox batches;
  private final SqlAlertOutbox alerts;
  private final Supplier<Future<Void>> afterClose;
  private final SqlSecrets secrets;
  /** The sources this instance took, with the epoch its commits must still hold. */
  private final Map<String, SqlCommitWriter.Fence> fences = new ConcurrentHashMap<>();

  /**
   * @param migrations brings the schema to the latest version ({@link FlywayMigrator#migrate}), returning how many
   *     versions it applied
   * @param afterClose runs once the pools are closed, on every {@link #close()}, e.g. to release the dialect's lock
   *     on its files; {@code close()} completes after it
   * @param cipherSource gives the cipher that seals webhook secrets, asked once by {@link #migrate()} (reading a key
   *     file may block, so it returns a future)
   */
  public SqlStore(SqlDialect dialect, Pool writer, Pool reader, Clock clock, Supplier<Future<Integer>> migrations,
                  Supplier<Future<Void>> afterClose, Supplier<Future<SecretCipher>> cipherSource) {
    this.migrations = Objects.requireNonNull(migrations, "migrations");
    this.afterClose = Objects.requireNonNull(afterClose, "afterClose");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.writer = Objects.requireNonNull(writer, "writer");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sql = SqlStatements.load(dialect.name());
    this.commitWriter = new SqlCommitWriter(dialect, sql, writer, clock);
    this.outbox = new SqlOutbox(dialect, sql, writer, reader);
    this.apiKeys = new SqlApiKeys(dialect, sql, writer, reader);
    this.outboxAdmin = new SqlOutboxAdmin(dialect, sql, writer, reader);
    this.history = new SqlHistory(dialect, sql, reader);
    this.gates = new SqlKeyGates(dialect, sql, reader);
    this.audit = new SqlAudit(dialect, sql, writer, reader, clock);
    this.expiry = new SqlExpiry(dialect, sql, writer, reader, clock);
    this.alerts = new SqlAlertOutbox(dialect, sql, writer, reader);
    this.batches = new SqlBatchOutbox(dialect, sql, writer, reader);
    this.secrets = new SqlSecrets(dialect, sql, writer, reader, clock, cipherSource);
  }

  @Override
  public ApiKeyStore apiKeys() {
    return apiKeys;
  }

  @Override
  public OutboxAdmin outboxAdmin() {
    return outboxAdmin;
  }

  @Override
  public BatchOutbox batches() {
    return batches;
  }

  @Override
  public HistoryStore history() {
    return history;
  }

  @Override
  public ExpiryStore expiry() {
    return expiry;
  }

  @Override
  public KeyGateStore gates() {
    return gates;
  }

  @Override
  public AuditStore audit() {
    return audit;
  }

  @Override
  public AlertOutbox alerts() {
    return alerts;
  }

  @Override
  public Future<Void> migrate() {
    return translated(migrations.get().compose(applied -> secrets.prepare()));
  }

  @Override
  public Future<Void> close() {
    Future<Void> writerClosed = writer.close();
    Future<Void> poolsClosed = reader == writer ? writerClosed : Future.all(writerClosed, reader.close()).mapEmpty();
    return poolsClosed.transform(closed -> afterClose.get()
      .compose(after -> closed.succeeded() ? Future.<Void>succeededFuture()
        : Future.<Void>failedFuture(closed.cause())));
  }

  @Override
  public Future<StoredTrigger> createTrigger(NewTrigger trigger, TriggerLimits limits) {
    long now = clock.millis();
    Tuple row;
    try {
      row = Tuple.of(trigger.name(), trigger.source(), trigger.definitionJson(),
        secrets.seal(trigger.name(), trigger.secret()), now, now, trigger.createdBy(), trigger.createdBy());
    } catch (RuntimeException notReady) {
      return Future.failedFuture(dialect.translate(notReady));
    }
    Instant at = Instant.ofEpochMilli(now);
    Future<?> inserted = limits.equals(TriggerLimits.NONE)
      ? writer.preparedQuery(sql.get("trigger.insert")).execute(row)
      : dialect.inTransaction(writer, conn -> conn.query(sql.get("trigger.lock_for_insert")).execute()
        .compose(locked -> conn.preparedQuery(sql.get("trigger.count_for_limits")).execute(Tuple.of(trigger.source())))
        .compose(counts -> withinLimits(counts.iterator().next(), trigger.source(), limits))
        .compose(within -> conn.preparedQuery(sql.get("trigger.insert")).execute(row)));
    return translated(inserted
      .map(done -> new StoredTrigger(trigger.name(), trigger.source(), trigger.definitionJson(),
        trigger.secret(), null, null, TriggerStatus.AWAITING_BASELINE, null, at, at, trigger.createdBy(),
        trigger.createdBy(), 1, true, false)))
      .recover(failure -> Future.failedFuture(failure instanceof StoreException store
        && store.storeCode() == StoreErrorCode.DUPLICATE
        ? new StoreException(StoreErrorCode.DUPLICATE, "a trigger named '" + trigger.name() + "' already exists",
          "name", failure)
        : failure));
  }

  private static Future<Void> withinLimits(Row counts, String source, TriggerLimits limits) {
    long total = SqlRows.number(counts, "total");
    long ofSource = SqlRows.number(counts, "of_source");
    if (total >= limits.maxTotal()) {
      return Future.failedFuture(new StoreException(StoreErrorCode.LIMIT_REACHED, total
        + " triggers exist, the most allowed in total", null, null));
    }
    if (ofSource >= limits.maxPerSource()) {
      return Future.failedFuture(new StoreException(StoreErrorCode.LIMIT_REACHED, "source '" + source + "' has "
        + ofSource + " triggers, the most allowed per source", "source", null));
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<List<StoredTrigger>> listTriggers() {
    return translated(reader.query(sql.get("trigger.list")).execute()
      .map(rows -> {
        List<StoredTrigger> triggers = new ArrayList<>(rows.size());
        rows.forEach(row -> triggers.add(secrets.trigger(row)));
        return triggers;
      }));
  }

  @Override
  public Future<TriggerPage> listTriggers(TriggerFilter filter, String afterName, int limit,
                                         long maxDefinitionChars) {
    if (limit < 1 || maxDefinitionChars < 1) {
      throw new IllegalArgumentException("limit and maxDefinitionChars must be positive");
    }
    // one row more than asked tells whether another page follows
    String status = filter.status() == null ? null : filter.status().dbValue();
    Integer enabled = filter.enabled() == null ? null : filter.enabled() ? 1 : 0;
    Tuple params = Tuple.tuple().addValue(afterName == null ? "" : afterName)
      .addValue(filter.source()).addValue(filter.source()).addValue(status).addValue(status)
      .addValue(enabled).addValue(enabled)
      .addValue(filter.labelKey()).addValue(filter.labelKey()).addValue(filter.labelValue())
      .addValue(limit + 1).addValue(maxDefinitionChars);
    return translated(reader.preparedQuery(sql.get("trigger.page")).execute(params)
      .map(rows -> {
        List<StoredTrigger> candidates = new ArrayList<>(rows.size());
        long limited = 0;
        for (Row row : rows) {
          candidates.add(secrets.trigger(row));
          limited = SqlRows.number(row, "candidates");
        }
        return TriggerPage.of(candidates, limit, limited > candidates.size());
      }));
  }

  @Override
  public Future<List<StoredTrigger>> listTriggersOf(String source) {
    return translated(reader.preparedQuery(sql.get("trigger.list_by_source")).execute(Tuple.of(source))
      .map(rows -> {
        List<StoredTrigger> triggers = new ArrayList<>(rows.size());
        rows.forEach(row -> triggers.add(secrets.trigger(row)));
        return triggers;
      }));
  }

  @Override
  public Future<Optional<StoredTrigger>> getTrigger(String name) {
    return translated(reader.preparedQuery(sql.get("trigger.get")).execute(Tuple.of(name))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(secrets.trigger(rows.iterator().next()))));
  }

  @Override
  public Future<Boolean> deleteTrigger(String name) {
    return translated(dialect.inErasingTransaction(writer, conn -> conn
      .preparedQuery(sql.get("trigger.delete_pending_events")).execute(Tuple.of(name))
      .compose(eventsDeleted -> conn.preparedQuery(sql.get("trigger.delete")).execute(Tuple.of(name)))
      .map(deleted -> deleted.rowCount() > 0)));
  }

  @Override
  public Future<StoredTrigger> updateTrigger(TriggerUpdate update) {
    Tuple params = Tuple.of(update.definitionJson(), update.enabled() ? 1 : 0, update.reconcile() ? 1 : 0,
      clock.millis(), update.actor(), update.name(), update.expectedVersion(), update.expectedVersion());
    return translated(writer.preparedQuery(sql.get("trigger.update")).execute(params)
      .compose(rows -> rows.size() > 0
        ? Future.succeededFuture(secrets.trigger(rows.iterator().next()))
        : getTrigger(update.name()).compose(found -> Future.failedFuture(found.isEmpty()
          ? new StoreException(StoreErrorCode.NOT_FOUND, "no trigger named '" + update.name() + "'", "name", null)
          : new StoreException(StoreErrorCode.CONFLICT, "trigger '" + update.name() + "' is at version "
            + found.get().version() + ", not " + update.expectedVersion(), null, null)))));
  }

  @Override
  public Future<StoredTrigger> rotateSecret(String name, String newSecret, Instant previousValidUntil, String actor) {
    long now = clock.millis();
    String sealed;
    try {
      sealed = secrets.seal(name, Objects.requireNonNull(newSecret, "newSecret"));
    } catch (RuntimeException notReady) {
      return Future.failedFuture(dialect.translate(notReady));
    }
    return translated(dialect.inErasingTransaction(writer, conn -> (previousValidUntil == null
        ? conn.preparedQuery(sql.get("trigger.replace_secret")).execute(Tuple.of(sealed, now, actor, name))
        : conn.preparedQuery(sql.get("trigger.rotate_secret"))
          .execute(Tuple.of(previousValidUntil.toEpochMilli(), sealed, now, actor, name)))
      .compose(rows -> rows.size() == 0
        ? Future.<StoredTrigger>failedFuture(new StoreException(StoreErrorCode.NOT_FOUND, "no trigger " + name))
        : Future.succeededFuture(secrets.trigger(rows.iterator().next())))));
  }

  @Override
  public Future<Integer> resealSecrets() {
    return translated(secrets.reseal());
  }

  @Override
  public Future<Void> markBaselined(String name, BigInteger frontier) {
    Tuple params = Tuple.of(frontier.toString(), clock.millis(), name);
    return translated(writer.preparedQuery(sql.get("trigger.mark_baselined")).execute(params)
      .compose(rows -> rows.rowCount() > 0
        ? Future.<Void>succeededFuture()
        : Future.failedFuture(new StoreException(StoreErrorCode.NOT_FOUND, "no trigger " + name))));
  }

  @Override
  public Future<Optional<BigInteger>> loadCheckpoint(String source) {
    return translated(reader.preparedQuery(sql.get("checkpoint.get")).execute(Tuple.of(source))
      .map(rows -> rows.size() == 0
        ? Optional.<BigInteger>empty()
        : Optional.of(new BigInteger(rows.iterator().next().getString("frontier")))));
  }

  @Override
  public Future<Map<String, String>> loadMatchedState(String triggerName) {
    return translated(reader.preparedQuery(sql.get("state.load")).execute(Tuple.of(triggerName))
      .map(rows -> {
        Map<String, String> matched = new HashMap<>(rows.size() * 2);
        for (Row row : rows) {
          matched.put(row.getString("key_json"), row.getString("row_json"));
        }
        return matched;
      }));
  }

  @Override
  public Future<Void> stageBaselines(List<StagedBaseline> parts, BigInteger frontier) {
    String at = frontier.toString();
    long now = clock.millis();
    List<Tuple> stateRows = new ArrayList<>();
    List<Tuple> eventRows = new ArrayList<>();
    for (StagedBaseline part : parts) {
      part.matched().forEach((key, row) -> stateRows.add(Tuple.of(key, row, at, part.triggerName())));
      for (NewEvent event : part.events()) {
        eventRows.add(Tuple.of(event.eventId(), event.eventType(), event.sourceTimestamp().toString(), event.keyJson(),
          event.dataJson(), now, now, part.triggerName()));
      }
    }
    if (stateRows.isEmpty() && eventRows.isEmpty()) {
      return Future.succeededFuture();
    }
    // the statements join the trigger and write nothing for one that is gone or active
    return translated(dialect.inTransaction(writer, conn -> batch(conn, "state.stage", stateRows)
      .compose(staged -> batch(conn, "event.stage", eventRows))));
  }

  @Override
  public Future<Integer> clearStagedBaselines(List<String> triggerNames, int limit) {
    if (triggerNames.isEmpty()) {
      return Future.succeededFuture(0);
    }
    Tuple params = Tuple.of(dialect.nameList(triggerNames), limit);
    return translated(dialect.inTransaction(writer, conn -> conn.preparedQuery(sql.get("state.clear_staged"))
      .execute(params)
      .compose(state -> conn.preparedQuery(sql.get("event.clear_staged")).execute(params)
        .map(events -> Math.max(state.rowCount(), events.rowCount())))));
  }

  private Future<Void> batch(SqlConnection conn, String statement, List<Tuple> rows) {
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(sql.get(statement)).executeBatch(rows).mapEmpty();
  }

  @Override
  public Future<Void> commit(SourceCommit commit) {
    return translated(commitWriter.commit(commit, fences.get(commit.source())));
  }

  @Override
  public Future<Long> takeSource(String source, String owner) {
    Tuple params = Tuple.of(Objects.requireNonNull(source, "source"), Objects.requireNonNull(owner, "owner"),
      clock.millis());
    return translated(writer.preparedQuery(sql.get("owner.take")).execute(params)
      .map(rows -> {
        long epoch = SqlRows.number(rows.iterator().next(), "epoch");
        fences.put(source, new SqlCommitWriter.Fence(owner, epoch));
        return epoch;
      }));
  }

  @Override
  public void forgetSource(String source) {
    fences.remove(source);
  }

  @Override
  public Future<Boolean> releaseSource(String source, String owner, long epoch) {
    fences.remove(source);
    return translated(writer.preparedQuery(sql.get("owner.release")).execute(Tuple.of(source, owner, epoch))
      .map(rows -> rows.rowCount() > 0));
  }

  @Override
  public Future<List<SourceOwner>> listSourceOwners() {
    return translated(reader.query(sql.get("owner.list")).execute()
      .map(rows -> {
        List<SourceOwner> owners = new ArrayList<>(rows.size());
        rows.forEach(row -> owners.add(new SourceOwner(row.getString("source"), row.getString("owner"),
          SqlRows.number(row, "epoch"), SqlRows.instant(row, "acquired_at"))));
        return owners;
      }));
  }

  @Override
  public Future<List<StoredEvent>> claimDue(String claimer, long nowMs, int limit, long leaseMs,
                                            Collection<String> excludedTriggers) {
    return translated(outbox.claimDue(claimer, nowMs, limit, leaseMs, excludedTriggers));
  }

  @Override
  public Future<Void> recordOutcomes(List<OutboxOutcome> outcomes) {
    return translated(outbox.recordOutcomes(outcomes));
  }

  @Override
  public Future<Integer> releaseClaimsNotOf(String claimer) {
    return translated(outbox.releaseClaimsNotOf(claimer));
  }

  @Override
  public Future<Integer> releaseClaimsOf(Collection<String> claimers) {
    return translated(outbox.releaseClaimsOf(claimers));
  }

  @Override
  public Future<Optional<Long>> nextDueAt(long nowMs, Collection<String> excludedTriggers) {
    return translated(outbox.nextDueAt(nowMs, excludedTriggers));
  }

  @Override
  public Future<List<StoredEvent>> listEvents(String triggerName, EventStatus status, int limit) {
    return translated(outbox.listEvents(triggerName, status, limit));
  }

  @Override
  public Future<Optional<StoredEvent>> getEvent(String eventId) {
    return translated(outbox.getEvent(eventId));
  }

  @Override
  public Future<List<RecordedAttempt>> listAttempts(String eventId) {
    return translated(outbox.listAttempts(eventId));
  }

  @Override
  public Future<Long> countEvents(EventStatus status) {
    return translated(outbox.countEvents(status));
  }

  @Override
  public Future<Integer> pruneHistory(long olderThanMs, int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    return translated(writer.preparedQuery(sql.get("event.prune_history")).execute(Tuple.of(olderThanMs, limit))
      .map(rows -> rows.rowCount()));
  }

  @Override
  public Future<StoredTrigger> changeTriggerMode(String name, String mode, String actor) {
    Tuple params = Tuple.of(Objects.requireNonNull(mode, "mode"), clock.millis(), actor, name);
    return translated(writer.preparedQuery(sql.get("trigger.change_mode")).execute(params)
      .compose(rows -> rows.size() == 0
        ? Future.<StoredTrigger>failedFuture(new StoreException(StoreErrorCode.NOT_FOUND, "no trigger " + name))
        : Future.succeededFuture(secrets.trigger(rows.iterator().next()))));
  }

  private <T> Future<T> translated(Future<T> result) {
    return result.recover(failure -> Future.failedFuture(dialect.translate(failure)));
  }
}
