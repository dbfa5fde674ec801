package io.tycostream.triggers.emulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: a vertx-pg-client connection to the emulator used from the JUnit thread, with bounded waits. Never
 * used on an event loop (it blocks on futures).
 */
final class EmulatorTestClient implements AutoCloseable {

  static final long WAIT_SECONDS = 10;

  final PgConnection connection;

  private EmulatorTestClient(PgConnection connection) {
    this.connection = connection;
  }

  static EmulatorTestClient connect(Vertx vertx, PgConnectOptions options) {
    return new EmulatorTestClient(await(PgConnection.connect(vertx, options)));
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("future did not complete in time", e);
    }
  }

  /** The failure of a future that is expected to fail, as the pg client reports it. */
  static PgException awaitFailure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof PgException pg) {
        return pg;
      }
      throw new IllegalStateException("unexpected failure", e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("future did not complete in time", e);
    }
    throw new AssertionError("expected a failure");
  }

  RowSet<Row> query(String sql) {
    return await(connection.query(sql).execute());
  }

  PgException queryFailure(String sql) {
    return awaitFailure(connection.query(sql).execute());
  }

  /** Rows of a query rendered as "v1,v2,…" with "null" for NULL (numeric and bool via their toString). */
  List<String> rows(String sql) {
    return render(query(sql));
  }

  static List<String> render(RowSet<Row> rows) {
    List<String> rendered = new ArrayList<>();
    for (Row row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        if (i > 0) {
          line.append(',');
        }
        line.append(row.getValue(i));
      }
      rendered.add(line.toString());
    }
    return rendered;
  }

  /** FETCHes with a zero timeout until {@code predicate} holds on everything collected, or the wait bound passes. */
  List<String> fetchUntil(String cursor, java.util.function.Predicate<List<String>> predicate) {
    List<String> collected = new ArrayList<>();
    long deadline = System.currentTimeMillis() + WAIT_SECONDS * 1000;
    while (!predicate.test(collected)) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not reached; rows so far: " + collected);
      }
      collected.addAll(rows("FETCH ALL " + cursor + " WITH (timeout = '50ms')"));
    }
    return collected;
  }

  @Override
  public void close() {
    try {
      await(connection.close());
    } catch (RuntimeException e) {
      // already closed by the server: nothing to release
    }
  }
}
