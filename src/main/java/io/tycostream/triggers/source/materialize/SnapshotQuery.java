package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.SourceFailure;
import io.tycostream.triggers.source.SourceSnapshot;
import io.tycostream.triggers.source.SourceSnapshotException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One snapshot of a view, read over its own short-lived connection so the running subscription is not disturbed:
 * {@code BEGIN; DECLARE … SUBSCRIBE … WITH (PROGRESS, SNAPSHOT = true) …}, FETCHes until the snapshot is complete,
 * then {@code CLOSE}, {@code ROLLBACK} and close. Two kinds:
 * <ul>
 *   <li>{@link #at at a frontier F}: {@code AS OF F-1 UP TO F}. The stream is {@code progress(F-1)}, the rows at
 *   {@code F-1}, then its end without a final progress row (materialize-subscribe.md §1.4).</li>
 *   <li>{@link #atLeast fresh}: {@code AS OF AT LEAST notBefore-1} (or no AS OF). The stream is {@code progress(T)}
 *   for the time {@code T} the server picked, the rows at {@code T}, perhaps live changes after {@code T}, then a
 *   progress row above {@code T}; the stream goes on, the query stops reading there.</li>
 * </ul>
 * Both are read the same way: the first progress row is the AS OF {@code T}; the rows stamped {@code T} are the
 * snapshot; rows above {@code T} are live changes and are ignored; the first progress row above {@code T}, or an
 * empty FETCH (a FETCH without timeout is empty only once the stream has ended), completes it. The result has
 * frontier {@code T + 1} and one upsert per key stamped {@code T}. Rows are decoded one FETCH ({@code fetchSize}
 * rows) at a time, so a large snapshot never occupies the event loop for long.
 * <p>
 * Not thread-safe: create and {@link #run()} it on one Vert.x context; every callback then stays on it. The whole
 * query is bounded by {@code snapshotTimeout}, connecting also by {@code connectTimeout}; the connection is always
 * closed, on success and on failure, before the returned future completes (the goodbye is bounded by
 * {@code closeTimeout}).
 */
final class SnapshotQuery {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotQuery.class);

  private final Vertx vertx;
  private final SubscribeOptions options;
  private final String declareSql;
  /** What is being read, for messages: "at frontier F" or "not before N". */
  private final String target;
  private final String source;
  private final Map<List<Object>, Change> rows = new LinkedHashMap<>();

  private MaterializeConnection link;
  private PgConnection connection;
  private SubscribeRowDecoder decoder;
  /** The AS OF, from the first progress row; null until it arrived. */
  private BigInteger asOf;
  private Throwable connectionError;
  private boolean timedOut;
  private final Promise<SourceSnapshot> outcome = Promise.promise();

  private SnapshotQuery(Vertx vertx, SubscribeOptions options, String declareSql, String target) {
    this.vertx = vertx;
    this.options = options;
    this.declareSql = declareSql;
    this.target = target;
    this.source = String.valueOf(options.getSource());
  }

  /** A snapshot at {@code frontier} F: every change below F, stamped F-1 (needs history back to F-1). */
  static SnapshotQuery at(Vertx vertx, SubscribeOptions options, BigInteger frontier) {
    return new SnapshotQuery(vertx, options,
        SubscribeStatements.snapshotAt(options.getView(), options.getKeyColumns(), frontier),
        "at frontier " + frontier);
  }

  /** A fresh snapshot at a time the server picks, with a frontier of at least {@code notBefore} (null: any). */
  static SnapshotQuery atLeast(Vertx vertx, SubscribeOptions options, BigInteger notBefore) {
    return new SnapshotQuery(vertx, options,
        SubscribeStatements.snapshotAtLeast(options.getView(), options.getKeyColumns(), notBefore),
        notBefore == null ? "at the newest time" : "not before frontier " + notBefore);
  }

  /** Runs the query once; fails with a classified {@link SourceSnapshotException}. */
  Future<SourceSnapshot> run() {
    long limitMs = Math.max(1, options.getSnapshotTimeout().toMillis());
    long timer = vertx.setTimer(limitMs, id -> {
      timedOut = true;
      outcome.tryFail(new VertxException("no complete snapshot within " + limitMs + " ms", true));
    });
    LOG.debug("snapshot started [source: {}, view: {}, {}]", source, options.getView(), target);
    link = MaterializeConnection.open(vertx, options.getConnectOptions(), options.getConnectTimeout());
    link.ready()
        .compose(this::begin)
        .compose(v -> run(declareSql))
        .compose(v -> fetchUntilComplete())
        .onComplete(ar -> {
          vertx.cancelTimer(timer);
          if (ar.succeeded()) {
            outcome.tryComplete(ar.result());
          } else {
            outcome.tryFail(ar.cause());
          }
        });
    return outcome.future().transform(ar -> release().transform(released -> ar.succeeded()
        ? Future.succeededFuture(ar.result())
        : Future.failedFuture(classified(ar.cause()))));
  }

  /**
   * Gives up (the source is stopping): the future fails and the connection is closed at once, without waiting for a
   * FETCH in progress. Call on the context that runs the query.
   */
  void abort() {
    timedOut = true;
    outcome.tryFail(new VertxException("snapshot abandoned: the source is stopping", true));
  }

  private Future<Void> begin(PgConnection conn) {
    connection = conn;
    // a FATAL error arrives here, not on the statement that was pending
    conn.exceptionHandler(error -> connectionError = error);
    if (timedOut) {
      return Future.failedFuture("snapshot timed out while connecting");
    }
    return run("BEGIN").mapEmpty();
  }

  private Future<SourceSnapshot> fetchUntilComplete() {
    return run(SubscribeStatements.fetchWaiting(options.getFetchSize())).compose(result -> {
      if (timedOut) {
        return Future.failedFuture("snapshot timed out");
      }
      boolean complete;
      try {
        complete = consume(result);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
      return complete ? Future.succeededFuture(snapshot()) : fetchUntilComplete();
    });
  }

  /** Applies one FETCH's rows; whether the snapshot is complete. */
  private boolean consume(RowSet<Row> result) {
    if (result.size() == 0) {
      // only an ended stream answers a waiting FETCH with nothing
      return true;
    }
    if (decoder == null || !decoder.matches(result.columnDescriptors())) {
      decoder = SubscribeRowDecoder.of(result.columnDescriptors(), options.getKeyColumns());
    }
    for (Row row : result) {
      SubscribeRow decoded = decoder.decode(row);
      if (asOf == null) {
        if (!(decoded instanceof SubscribeRow.Progress first)) {
          throw new SubscribeOutputException("the snapshot stream did not start with its AS OF progress row");
        }
        asOf = first.timestamp();
      } else if (decoded instanceof SubscribeRow.Progress progress) {
        if (progress.timestamp().compareTo(asOf) > 0) {
          return true;
        }
      } else if (decoded.timestamp().compareTo(asOf) > 0) {
        // a live change after the snapshot: not part of it
        continue;
      } else if (decoded instanceof SubscribeRow.KeyViolation violation) {
        throw new SourceSnapshotException(source, FailureKind.KEY_VIOLATION, null, "key violation in view "
            + options.getView() + ": several rows for key " + options.getKeyColumns() + " = " + violation.key()
            + " at mz_timestamp " + violation.timestamp(), null);
      } else if (decoded instanceof SubscribeRow.Data data) {
        apply(data.change());
      }
    }
    return false;
  }

  private void apply(Change change) {
    // a consolidated snapshot has one upsert per key; folding keeps the result right even if a server sent more
    if (change.deleted()) {
      rows.remove(change.key());
    } else {
      Change stamped = change.timestamp().equals(asOf) ? change : Change.upsert(change.key(), change.row(), asOf);
      rows.put(change.key(), stamped);
    }
  }

  private SourceSnapshot snapshot() {
    if (decoder == null || asOf == null) {
      throw new SubscribeOutputException("the snapshot stream ended before its AS OF progress row");
    }
    LOG.debug("snapshot complete [source: {}, {}, frontier: {}, rows: {}]", source, target, asOf.add(BigInteger.ONE),
        rows.size());
    return new SourceSnapshot(source, asOf.add(BigInteger.ONE), new ArrayList<>(rows.values()), decoder.schema());
  }

  private Future<RowSet<Row>> run(String sql) {
    return connection.query(sql).execute();
  }

  /** Ends the subscribe and closes the connection, never waiting more than {@code closeTimeout}. */
  private Future<Void> release() {
    if (connection == null || timedOut) {
      // still connecting, or a FETCH is still waiting on the server (CLOSE would queue behind it): close at once
      return link.close();
    }
    PgConnection conn = connection;
    Promise<Void> closed = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, options.getCloseTimeout().toMillis()),
        id -> link.close().onComplete(ar -> closed.tryComplete()));
    conn.query(SubscribeStatements.close()).execute()
        .transform(ar -> conn.query("ROLLBACK").execute())
        .onComplete(ar -> {
          vertx.cancelTimer(timer);
          link.close().onComplete(closedAr -> closed.tryComplete());
        });
    return closed.future();
  }

  private SourceSnapshotException classified(Throwable cause) {
    if (cause instanceof SourceSnapshotException known) {
      return known;
    }
    // prefer the server's own error (with its SQLSTATE) over the client's "connection lost" that followed it
    Throwable reported = !(cause instanceof DatabaseException) && connectionError instanceof DatabaseException
        ? connectionError : cause;
    SourceFailure failure = FailureClassifier.toFailure(reported, Instant.now());
    String message = "snapshot of view " + options.getView() + " " + target + " failed ["
        + failure.kind() + (failure.sqlState() == null ? "" : ", sqlstate " + failure.sqlState()) + "]: "
        + failure.message();
    return new SourceSnapshotException(source, failure.kind(), failure.sqlState(), message, reported);
  }
}
