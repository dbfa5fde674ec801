package io.tycostream.triggers.emulator;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Executes statements for one session and owns its transaction state machine (spec §10.5): IDLE, IN_TXN, FAILED,
 * the subscribe cursors of the open transaction, and the FETCH in progress. Results are written as DataRows through
 * the writer; the caller writes RowDescription, CommandComplete and ErrorResponse.
 *
 * <p>Threading: confined to the session's event loop.
 */
final class StatementExecutor {

  enum TxnState {
    IDLE('I'), IN_TXN('T'), FAILED('E');

    final char status;

    TxnState(char status) { this.status = status; }
  }

  private final Vertx vertx;
  private final Context context;
  private final Catalog catalog;
  private final SessionVariables variables;
  private final Consumer<Buffer> writer;
  private final Map<String, SubscribeCursor> cursors = new LinkedHashMap<>();
  private TxnState state = TxnState.IDLE;
  private boolean subscribeInTxn;
  private FetchOperation currentFetch;
  private SubscribeEngine streamingEngine;

  StatementExecutor(Vertx vertx, Context context, Catalog catalog, SessionVariables variables,
                    Consumer<Buffer> writer) {
    this.vertx = vertx;
    this.context = context;
    this.catalog = catalog;
    this.variables = variables;
    this.writer = writer;
  }

  TxnState state() { return state; }

  /** The row type a statement returns, or null for none (NoData). */
  List<OutputColumn> describe(Statement statement) {
    if (statement instanceof Statement.Fetch fetch) {
      return cursor(fetch.cursor()).output.columns();
    }
    if (statement instanceof Statement.ShowVariable show) {
      return List.of(OutputColumn.of(show.name(), PgType.TEXT));
    }
    if (statement instanceof Statement.Subscribe subscribe) {
      return SubscribeOutput.plan(catalog.resolve(subscribe.subscribe().object()), subscribe.subscribe()).columns();
    }
    return null;
  }

  /**
   * Runs one statement.
   *
   * @param formats result format per described column (null = all text)
   * @param maxRows Execute's row limit (0 = none); only meaningful for FETCH
   * @return the command tag, or a failure carrying the PgException to report
   */
  Future<String> execute(Statement statement, int[] formats, long maxRows) {
    try {
      if (state == TxnState.FAILED && !(statement instanceof Statement.Commit)
          && !(statement instanceof Statement.Rollback)) {
        throw new PgException("25P02",
            "current transaction is aborted, commands ignored until end of transaction block");
      }
      if (statement instanceof Statement.Fetch fetch) {
        return fetch(fetch, formats, maxRows);
      }
      if (statement instanceof Statement.Subscribe subscribe) {
        return stream(subscribe.subscribe(), formats);
      }
      return Future.succeededFuture(executeImmediate(statement, formats));
    } catch (PgException e) {
      return Future.failedFuture(e);
    }
  }

  private String executeImmediate(Statement statement, int[] formats) {
    if (statement instanceof Statement.Begin) {
      if (state == TxnState.IDLE) {
        state = TxnState.IN_TXN;
      }
      return "BEGIN";
    }
    if (statement instanceof Statement.Commit) {
      String tag = state == TxnState.FAILED ? "ROLLBACK" : "COMMIT";
      endTransaction();
      return tag;
    }
    if (statement instanceof Statement.Rollback) {
      endTransaction();
      return "ROLLBACK";
    }
    if (statement instanceof Statement.SetVariable set) {
      String changed = variables.set(set.name(), set.value());
      reportParameter(changed);
      return "SET";
    }
    if (statement instanceof Statement.ResetVariable reset) {
      List<String> names = reset.name() == null ? variables.names() : List.of(reset.name());
      for (String name : names) {
        if (reset.name() != null || !name.equals("server_version")) {
          try {
            reportParameter(variables.set(name, null));
          } catch (PgException e) {
            if (reset.name() != null) {
              throw e;
            }
          }
        }
      }
      return "RESET";
    }
    if (statement instanceof Statement.ShowVariable show) {
      Buffer row = Buffer.buffer();
      BackendMessages.dataRow(row, describe(show), new Object[] {variables.get(show.name())}, formats);
      writer.accept(row);
      return "SHOW";
    }
    if (statement instanceof Statement.Declare declare) {
      return declare(declare);
    }
    if (statement instanceof Statement.CloseCursor close) {
      if (close.cursor() == null) {
        cursors.values().forEach(SubscribeCursor::close);
        cursors.clear();
        return "CLOSE CURSOR ALL";
      }
      cursor(close.cursor()).close();
      cursors.remove(close.cursor());
      return "CLOSE CURSOR";
    }
    if (statement instanceof Statement.NoOp noOp) {
      return noOp.tag();
    }
    Statement.Unsupported unsupported = (Statement.Unsupported) statement;
    throw new PgException("0A000", unsupported.description() + " not supported by the Materialize emulator");
  }

  private void reportParameter(String changedName) {
    if (changedName != null) {
      Buffer status = Buffer.buffer();
      BackendMessages.parameterStatus(status, changedName, variables.get(changedName));
      writer.accept(status);
    }
  }

  private String declare(Statement.Declare declare) {
    if (state != TxnState.IN_TXN) {
      throw new PgException("25P01", "DECLARE CURSOR can only be used in transaction blocks");
    }
    if (cursors.containsKey(declare.cursor())) {
      throw new PgException("42P03", "cursor \"" + declare.cursor() + "\" already exists");
    }
    if (subscribeInTxn) {
      throw new PgException("25000", "SUBSCRIBE in transactions must be the only read statement");
    }
    EmulatedObject object = catalog.resolve(declare.subscribe().object());
    SubscribeOutput output = SubscribeOutput.plan(object, declare.subscribe());
    cursors.put(declare.cursor(), new SubscribeCursor(declare.cursor(), object, declare.subscribe(), output));
    subscribeInTxn = true;
    return "DECLARE CURSOR";
  }

  private SubscribeCursor cursor(String name) {
    SubscribeCursor cursor = cursors.get(name);
    if (cursor == null) {
      throw new PgException("34000", "cursor \"" + name + "\" does not exist");
    }
    return cursor;
  }

  private Future<String> fetch(Statement.Fetch fetch, int[] formats, long maxRows) {
    SubscribeCursor cursor = cursor(fetch.cursor());
    if (maxRows > 0) {
      if (fetch.count() == null) {
        throw new PgException("0A000", "Execute with max_rows of a FETCH ALL is not supported");
      }
      if (maxRows < fetch.count()) {
        throw new PgException("0A000", "Execute with max_rows < a FETCH's count is not supported");
      }
    }
    if (cursor.engine == null) {
      SubscribeEngine engine = new SubscribeEngine(catalog, cursor.object, cursor.spec, cursor.output,
          () -> context.runOnContext(v -> wakeFetch()));
      cursor.engine = engine;
      engine.start();
    }
    long count = fetch.count() == null ? Long.MAX_VALUE : fetch.count();
    if (count > 0) {
      catalog.dataFetches.incrementAndGet();
    }
    FetchOperation operation = new FetchOperation(vertx, cursor.engine, count, fetch.timeoutMs(), formats, writer);
    currentFetch = operation;
    return operation.run()
        .andThen(done -> currentFetch = null)
        .map(rows -> "FETCH " + rows);
  }

  /** Plain SUBSCRIBE: rows are streamed until the subscribe ends (UP TO), fails or is canceled; tag SELECT n. */
  private Future<String> stream(SubscribeSpec spec, int[] formats) {
    if (state == TxnState.IN_TXN) {
      if (subscribeInTxn) {
        throw new PgException("25000", "SUBSCRIBE in transactions must be the only read statement");
      }
      subscribeInTxn = true;
    }
    EmulatedObject object = catalog.resolve(spec.object());
    SubscribeEngine engine = new SubscribeEngine(catalog, object, spec, SubscribeOutput.plan(object, spec),
        () -> context.runOnContext(v -> wakeFetch()));
    engine.start();
    FetchOperation operation = new FetchOperation(vertx, engine, Long.MAX_VALUE, null, formats, writer, true);
    currentFetch = operation;
    streamingEngine = engine;
    return operation.run()
        .andThen(done -> {
          currentFetch = null;
          streamingEngine = null;
          engine.close();
        })
        .map(rows -> "SELECT " + rows);
  }

  private void wakeFetch() {
    if (currentFetch != null) {
      currentFetch.wake();
    }
  }

  /** A statement failed: an explicit transaction becomes FAILED (an implicit one simply ends). */
  void onError() {
    if (state == TxnState.IN_TXN) {
      state = TxnState.FAILED;
    } else if (state == TxnState.IDLE) {
      endTransaction();
    }
  }

  private void endTransaction() {
    cursors.values().forEach(SubscribeCursor::close);
    cursors.clear();
    subscribeInTxn = false;
    state = TxnState.IDLE;
  }

  /** CancelRequest: fails the running FETCH with 57014; nothing happens when idle. */
  void cancel() {
    if (currentFetch != null) {
      currentFetch.cancel();
    }
  }

  boolean fetching() {
    return currentFetch != null;
  }

  /** Connection gone: stop every subscribe so holds are released and nothing buffers for a dead client. */
  void release() {
    if (currentFetch != null) {
      currentFetch.abandon();
      currentFetch = null;
    }
    if (streamingEngine != null) {
      streamingEngine.close();
      streamingEngine = null;
    }
    endTransaction();
  }
}
