package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.source.BatchConsumer;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ResumePosition;
import io.vertx.core.Context;
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

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One connection's worth of a {@link SubscribeReader}: connect (bounded by {@code connectTimeout}), {@code BEGIN},
 * {@code DECLARE … SUBSCRIBE}, then a FETCH loop that hands closed batches to the consumer. Not thread-safe: every
 * method runs on the reader's context.
 * <p>
 * Exactly one statement is in flight at a time. While the consumer keeps up, the next FETCH is sent as soon as the
 * previous one returns. By default a data FETCH has no timeout: it returns as soon as a row (data or progress) is
 * available, so a change reaches the consumer within milliseconds, and progress rows (about one a second) keep it
 * returning; a statement unanswered for {@code stallTimeout} (plus the FETCH timeout, if one is set) fails the
 * session. Either way a FETCH is always in flight, so the server's idle-in-transaction timeout never trips. When
 * {@code maxPendingBatches} batches are pending (or closed batches wait to be handed over), data FETCHes stop and a
 * {@code FETCH 0} is sent every {@code keepAliveInterval} instead; fetching resumes when a pending batch completes.
 * <p>
 * The first failure ends the session: the connection is closed (never left open) and {@link Events#failed} is called
 * once, with a {@link ConsumerRefusedException} when it was the consumer that failed. Nothing is retried here; the
 * reader decides. {@link #close()} cancels a waiting FETCH (a cancel request) so the session ends at once.
 */
final class SubscribeSession {

  /** What the session tells its reader; called on the reader's context. */
  interface Events {
    void connected(SubscribeSession session);

    void batchHanded(SubscribeSession session, ChangeBatch batch);

    void batchCompleted(SubscribeSession session, ChangeBatch batch);

    void keyViolation(SubscribeSession session, SubscribeRow.KeyViolation violation);

    void failed(SubscribeSession session, Throwable cause);
  }

  private static final Logger LOG = LoggerFactory.getLogger(SubscribeSession.class);

  private final Vertx vertx;
  private final Context context;
  private final SubscribeOptions options;
  private final BatchConsumer consumer;
  private final PendingBatches pending;
  private final Events events;
  private final String declareSql;
  private final String fetchSql;
  /** The FETCH sent under load: it waits {@code coalesceDelay} for more rows; {@code null} when coalescing is off. */
  private final String coalescingFetchSql;
  /** Rows the last data FETCH returned: many means under load, so the next one coalesces. */
  private int lastFetchRows;
  private final BatchAssembler assembler;
  private final Deque<ChangeBatch> ready = new ArrayDeque<>();

  private MaterializeConnection link;
  private PgConnection connection;
  private SubscribeRowDecoder decoder;
  private Future<RowSet<Row>> inFlight;
  private long statementSeq;
  private long stallTimer = -1;
  private long keepAliveTimer = -1;
  private Throwable connectionError;
  private boolean connected;
  private boolean finished;
  private Promise<Void> closed;

  SubscribeSession(Vertx vertx, Context context, SubscribeOptions options, BatchConsumer consumer,
                   PendingBatches pending, Events events, ResumePosition position) {
    this.vertx = vertx;
    this.context = context;
    this.options = options;
    this.consumer = consumer;
    this.pending = pending;
    this.events = events;
    this.declareSql = SubscribeStatements.declare(options.getView(), options.getKeyColumns(), position);
    this.fetchSql = SubscribeStatements.fetch(options.getFetchSize(), options.getFetchTimeout());
    this.coalescingFetchSql = options.getFetchTimeout() == null && !options.getCoalesceDelay().isZero()
        ? SubscribeStatements.fetch(options.getFetchSize(), options.getCoalesceDelay())
        : null;
    this.assembler = new BatchAssembler(options.getSource(), position, options.getMaxUnclosedRows());
  }

  /** Connects and starts fetching; failures are reported through {@link Events#failed}. */
  void start() {
    link = MaterializeConnection.open(vertx, options.getConnectOptions(), options.getConnectTimeout());
    link.ready()
        .compose(this::begin)
        .compose(v -> declare())
        .onComplete(ar -> {
          if (ar.failed()) {
            fail(ar.cause());
          } else {
            fetchNext();
          }
        });
  }

  private Future<Void> begin(PgConnection conn) {
    connection = conn;
    if (finished) {
      return Future.failedFuture("session closed while connecting");
    }
    conn.closeHandler(v -> fail(new VertxException("connection closed", true)));
    // a FATAL error (e.g. 25P03 idle-in-transaction timeout) arrives here, not on the statement that was pending
    conn.exceptionHandler(error -> {
      connectionError = error;
      LOG.debug("connection error [source: {}]", options.getSource(), error);
    });
    return run("BEGIN").mapEmpty();
  }

  private Future<Void> declare() {
    if (finished) {
      return Future.failedFuture("session closed while subscribing");
    }
    LOG.debug("declaring subscribe cursor [source: {}, sql: {}]", options.getSource(), declareSql);
    return run(declareSql).mapEmpty();
  }

  /** Sends the next data FETCH, or pauses with keep-alives while the consumer is saturated. */
  private void fetchNext() {
    if (finished || inFlight != null) {
      return;
    }
    handOverReady();
    if (!ready.isEmpty() || pending.count() >= options.getMaxPendingBatches()) {
      armKeepAlive();
      return;
    }
    cancelKeepAlive();
    boolean underLoad = coalescingFetchSql != null && lastFetchRows >= options.getCoalesceAboveRows();
    run(underLoad ? coalescingFetchSql : fetchSql).onComplete(ar -> {
      if (finished) {
        return;
      }
      if (ar.failed()) {
        fail(ar.cause());
        return;
      }
      try {
        onRows(ar.result());
      } catch (RuntimeException e) {
        fail(e);
        return;
      }
      fetchNext();
    });
  }

  private void onRows(RowSet<Row> rows) {
    lastFetchRows = rows.size();
    if (!connected) {
      connected = true;
      events.connected(this);
    }
    if (rows.size() == 0) {
      return;
    }
    if (decoder == null || !decoder.matches(rows.columnDescriptors())) {
      decoder = SubscribeRowDecoder.of(rows.columnDescriptors(), options.getKeyColumns());
    }
    for (Row row : rows) {
      SubscribeRow decoded = decoder.decode(row);
      if (decoded instanceof SubscribeRow.Data data) {
        assembler.add(data.change());
      } else if (decoded instanceof SubscribeRow.Progress progress) {
        ready.addAll(assembler.progress(progress.timestamp(), decoder.schema()));
      } else if (decoded instanceof SubscribeRow.KeyViolation violation) {
        events.keyViolation(this, violation);
      }
    }
  }

  private void handOverReady() {
    while (!ready.isEmpty() && pending.count() < options.getMaxPendingBatches()) {
      handOver(ready.poll());
    }
  }

  private void handOver(ChangeBatch batch) {
    pending.increment();
    events.batchHanded(this, batch);
    Future<Void> accepted;
    try {
      accepted = consumer.accept(batch);
    } catch (RuntimeException e) {
      accepted = Future.failedFuture(e);
    }
    if (accepted == null) {
      accepted = Future.failedFuture(new IllegalStateException("consumer returned no future"));
    }
    // always continue asynchronously on our context: the consumer may complete on another thread, or at once
    accepted.onComplete(ar -> context.runOnContext(v -> {
      pending.decrement();
      if (ar.failed()) {
        fail(new ConsumerRefusedException("the consumer failed the batch at frontier " + batch.frontier() + ": "
            + ar.cause().getMessage(), ar.cause()));
      } else {
        events.batchCompleted(this, batch);
        fetchNext();
      }
    }));
  }

  private void armKeepAlive() {
    if (keepAliveTimer != -1) {
      return;
    }
    keepAliveTimer = vertx.setTimer(Math.max(1, options.getKeepAliveInterval().toMillis()), id -> {
      keepAliveTimer = -1;
      sendKeepAlive();
    });
  }

  private void sendKeepAlive() {
    if (finished || inFlight != null) {
      return;
    }
    LOG.debug("paused for a slow consumer, keeping the session alive [source: {}, pending: {}]",
        options.getSource(), pending.count());
    run(SubscribeStatements.keepAlive()).onComplete(ar -> {
      if (ar.failed()) {
        fail(ar.cause());
      } else {
        fetchNext();
      }
    });
  }

  /** Runs one statement, tracking it as the one in flight and failing the session if it never answers. */
  private Future<RowSet<Row>> run(String sql) {
    long seq = ++statementSeq;
    long fetchTimeoutMs = options.getFetchTimeout() == null ? 0 : options.getFetchTimeout().toMillis();
    long limitMs = fetchTimeoutMs + options.getStallTimeout().toMillis();
    stallTimer = vertx.setTimer(Math.max(1, limitMs), id -> {
      if (seq == statementSeq && inFlight != null) {
        // a dead connection, or a stream whose progress stopped (a replica restarting): resuming costs nothing
        fail(new VertxException("no answer from the server within " + limitMs + " ms", true));
      }
    });
    Future<RowSet<Row>> statement = connection.query(sql).execute();
    inFlight = statement;
    return statement.andThen(ar -> {
      if (seq == statementSeq) {
        inFlight = null;
        vertx.cancelTimer(stallTimer);
      }
    });
  }

  private void fail(Throwable cause) {
    if (finished) {
      return;
    }
    finished = true;
    cancelTimers();
    ready.clear();
    if (link != null) {
      link.close();
    }
    // prefer the server's own error (with its SQLSTATE) over the client's "connection lost" that followed it; a
    // consumer's refusal stays what it is whatever the connection did meanwhile
    boolean keepCause = cause instanceof DatabaseException || cause instanceof ConsumerRefusedException;
    events.failed(this, !keepCause && connectionError instanceof DatabaseException ? connectionError : cause);
  }

  /**
   * Ends the session on request: cancels the statement in flight (a waiting FETCH ends at once with 57014, which is
   * expected here and not reported), then {@code CLOSE} if the transaction is still healthy and {@code ROLLBACK} (best
   * effort, bounded by {@code closeTimeout}), then closes the connection. A connection still opening is abandoned at
   * once. Idempotent.
   */
  Future<Void> close() {
    if (closed != null) {
      return closed.future();
    }
    closed = Promise.promise();
    boolean alreadyFailed = finished;
    finished = true;
    cancelTimers();
    ready.clear();
    if (alreadyFailed || link == null) {
      closed.complete();
    } else if (connection == null) {
      link.close().onComplete(ar -> closed.tryComplete());
    } else {
      sayGoodbye();
    }
    return closed.future();
  }

  private void sayGoodbye() {
    PgConnection conn = connection;
    long timer = vertx.setTimer(Math.max(1, options.getCloseTimeout().toMillis()),
        id -> link.close().onComplete(ar -> closed.tryComplete()));
    Future<?> previous = Future.succeededFuture();
    if (inFlight != null) {
      previous = inFlight;
      conn.cancelRequest().onFailure(e -> LOG.debug("cancel request not delivered [source: {}]",
          options.getSource(), e));
    }
    previous
        // a cancelled FETCH leaves the transaction failed: CLOSE would only be refused, ROLLBACK ends it all
        .transform(ar -> ar.succeeded() ? conn.query(SubscribeStatements.close()).execute() : Future.succeededFuture())
        .transform(ar -> conn.query("ROLLBACK").execute())
        .onComplete(ar -> {
          vertx.cancelTimer(timer);
          link.close().onComplete(closedAr -> closed.tryComplete());
        });
  }

  private void cancelTimers() {
    vertx.cancelTimer(stallTimer);
    cancelKeepAlive();
  }

  private void cancelKeepAlive() {
    if (keepAliveTimer != -1) {
      vertx.cancelTimer(keepAliveTimer);
      keepAliveTimer = -1;
    }
  }
}
