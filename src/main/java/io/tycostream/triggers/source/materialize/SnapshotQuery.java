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
 * One snapshot of a view at a frontier {@code F}, read over its own short-lived connection so the running
 * subscription is not disturbed: {@code BEGIN; DECLARE … SUBSCRIBE … WITH (PROGRESS, SNAPSHOT = true) AS OF F-1 UP TO
 * F}, then FETCHes until the bounded stream ends, then {@code CLOSE}, {@code ROLLBACK} and close.
 * <p>
 * The stream is {@code progress(F-1)}, the rows at {@code F-1} (every change below {@code F}, consolidated), then the
 * end of the stream without a final progress row (materialize-subscribe.md §1.4). A FETCH without timeout waits for at
 * least one row, so an empty FETCH means the stream has ended; a progress row at {@code F} or later (should a server
 * send one) ends it too.
 * <p>
 * Not thread-safe: create and {@link #run()} it on one Vert.x context; every callback then stays on it. The whole
 * query is bounded by {@code snapshotTimeout}; the connection is always closed, on success and on failure, before the
 * returned future completes (the goodbye is bounded by {@code closeTimeout}).
 */
final class SnapshotQuery {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotQuery.class);

  private final Vertx vertx;
  private final SubscribeOptions options;
  private final BigInteger frontier;
  private final BigInteger rowTimestamp;
  private final String source;
  private final Map<List<Object>, Change> rows = new LinkedHashMap<>();

  private Future<PgConnection> connecting;
  private PgConnection connection;
  private SubscribeRowDecoder decoder;
  private Throwable connectionError;
  private boolean timedOut;
  private final Promise<SourceSnapshot> outcome = Promise.promise();

  SnapshotQuery(Vertx vertx, SubscribeOptions options, BigInteger frontier) {
    this.vertx = vertx;
    this.options = options;
    this.frontier = frontier;
    this.rowTimestamp = frontier.subtract(BigInteger.ONE);
    this.source = String.valueOf(options.getSource());
  }

  /** Runs the query once; fails with a classified {@link SourceSnapshotException}. */
  Future<SourceSnapshot> run() {
    long limitMs = Math.max(1, options.getSnapshotTimeout().toMillis());
    long timer = vertx.setTimer(limitMs, id -> {
      timedOut = true;
      outcome.tryFail(new VertxException("no complete snapshot within " + limitMs + " ms", true));
    });
    LOG.debug("snapshot started [source: {}, view: {}, frontier: {}]", source, options.getView(), frontier);
    connecting = PgConnection.connect(vertx, options.getConnectOptions());
    connecting
        .compose(this::begin)
        .compose(v -> run(SubscribeStatements.snapshotAt(options.getView(), options.getKeyColumns(), frontier)))
        .compose(v -> fetchUntilEnd())
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

  private Future<SourceSnapshot> fetchUntilEnd() {
    return run(SubscribeStatements.fetchWaiting(options.getFetchSize())).compose(result -> {
      if (timedOut) {
        return Future.failedFuture("snapshot timed out");
      }
      boolean ended;
      try {
        ended = consume(result);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
      return ended ? Future.succeededFuture(snapshot()) : fetchUntilEnd();
    });
  }

  /** Applies one FETCH's rows; whether the stream has ended. */
  private boolean consume(RowSet<Row> result) {
    if (result.size() == 0) {
      return true;
    }
    if (decoder == null || !decoder.matches(result.columnDescriptors())) {
      decoder = SubscribeRowDecoder.of(result.columnDescriptors(), options.getKeyColumns());
    }
    boolean ended = false;
    for (Row row : result) {
      SubscribeRow decoded = decoder.decode(row);
      if (decoded instanceof SubscribeRow.Progress progress) {
        ended |= progress.timestamp().compareTo(frontier) >= 0;
      } else if (decoded instanceof SubscribeRow.KeyViolation violation) {
        throw new SourceSnapshotException(source, FailureKind.KEY_VIOLATION, null, "key violation in view "
            + options.getView() + ": several rows for key " + options.getKeyColumns() + " = " + violation.key()
            + " at mz_timestamp " + violation.timestamp(), null);
      } else if (decoded instanceof SubscribeRow.Data data) {
        apply(data.change());
      }
    }
    return ended;
  }

  private void apply(Change change) {
    if (change.timestamp().compareTo(frontier) >= 0) {
      throw new SubscribeOutputException("snapshot row at mz_timestamp " + change.timestamp()
          + " is not below the requested frontier " + frontier);
    }
    // a consolidated snapshot has one upsert per key; folding keeps the result right even if a server sent more
    if (change.deleted()) {
      rows.remove(change.key());
    } else {
      rows.put(change.key(), Change.upsert(change.key(), change.row(), rowTimestamp));
    }
  }

  private SourceSnapshot snapshot() {
    if (decoder == null) {
      throw new SubscribeOutputException("the snapshot stream ended before describing its columns");
    }
    return new SourceSnapshot(source, frontier, new ArrayList<>(rows.values()), decoder.schema());
  }

  private Future<RowSet<Row>> run(String sql) {
    return connection.query(sql).execute();
  }

  /** Ends the subscribe and closes the connection, never waiting more than {@code closeTimeout}. */
  private Future<Void> release() {
    if (connection == null) {
      // still connecting (timed out): close whatever connection arrives later
      connecting.onSuccess(PgConnection::close);
      return Future.succeededFuture();
    }
    PgConnection conn = connection;
    if (timedOut) {
      // a FETCH is still waiting on the server; CLOSE would queue behind it
      return conn.close().otherwiseEmpty();
    }
    Promise<Void> closed = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, options.getCloseTimeout().toMillis()),
        id -> conn.close().onComplete(ar -> closed.tryComplete()));
    conn.query(SubscribeStatements.close()).execute()
        .transform(ar -> conn.query("ROLLBACK").execute())
        .onComplete(ar -> {
          vertx.cancelTimer(timer);
          conn.close().onComplete(closedAr -> closed.tryComplete());
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
    String message = "snapshot of view " + options.getView() + " at frontier " + frontier + " failed ["
        + failure.kind() + (failure.sqlState() == null ? "" : ", sqlstate " + failure.sqlState()) + "]: "
        + failure.message();
    return new SourceSnapshotException(source, failure.kind(), failure.sqlState(), message, reported);
  }
}
