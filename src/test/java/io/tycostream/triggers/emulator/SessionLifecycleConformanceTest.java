package io.tycostream.triggers.emulator;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.tycostream.triggers.emulator.EmulatorTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conformance of FETCH waiting, session lifetime and connection control (scenarios 2, 10 and 11 of §10.7): quiet
 * streams, blocking FETCH and cancel, idle-in-transaction timeout, kills, server restart, UP TO.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SessionLifecycleConformanceTest {

  private static final long TICK_MS = 20;

  private Vertx vertx;
  private MaterializeEmulator emulator;
  private final List<EmulatorTestClient> clients = new ArrayList<>();

  private void startEmulator(Vertx vertx, EmulatorOptions options) {
    this.vertx = vertx;
    emulator = await(MaterializeEmulator.start(vertx, options));
    emulator.createTable("t", EmulatorColumn.of("a", PgType.INT4));
  }

  private EmulatorTestClient connect() {
    EmulatorTestClient client = EmulatorTestClient.connect(vertx, emulator.connectOptions());
    clients.add(client);
    return client;
  }

  @AfterEach
  void stop() {
    clients.forEach(EmulatorTestClient::close);
    await(emulator.stop());
  }

  private void pause(long ms) {
    await(vertx.timer(ms));
  }

  /** Polls {@code condition} every 10 ms (timer-based, on the JUnit thread) for at most 5 s. */
  private void eventually(BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + 5000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not reached in 5 s");
      }
      pause(10);
    }
  }

  /** Verifies that a quiet PROGRESS subscribe returns a fresh progress row about every tick on a plain FETCH ALL. */
  @Test
  void quietStreamYieldsProgressAboutEveryTick(Vertx vertx) {
    // GIVEN a ticking emulator and a PROGRESS subscribe on a table nobody writes to
    startEmulator(vertx, new EmulatorOptions().setTickMs(TICK_MS));
    EmulatorTestClient client = connect();
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE t WITH (PROGRESS)");
    // WHEN fetching five times without timeout
    long started = System.currentTimeMillis();
    List<Long> progress = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      for (Row row : client.query("FETCH ALL c")) {
        assertThat(row.getBoolean("mz_progressed")).isTrue();
        progress.add(row.getLong("mz_timestamp"));
      }
    }
    // THEN each FETCH returned promptly with strictly increasing progress values
    assertThat(System.currentTimeMillis() - started).isLessThan(2000);
    assertThat(progress).hasSizeGreaterThanOrEqualTo(5).isSorted().doesNotHaveDuplicates();
  }

  /** Verifies that without PROGRESS a FETCH with timeout returns 0 rows, one without blocks until canceled (57014). */
  @Test
  void fetchWithoutTimeoutBlocksUntilCanceled(Vertx vertx) {
    // GIVEN a quiet subscribe without PROGRESS, past its empty snapshot
    startEmulator(vertx, new EmulatorOptions().setTickMs(TICK_MS));
    EmulatorTestClient client = connect();
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE t");
    // WHEN fetching with a 100 ms timeout, then without timeout
    long started = System.currentTimeMillis();
    RowSet<Row> timed = client.query("FETCH ALL c WITH (timeout = '100ms')");
    long timedMs = System.currentTimeMillis() - started;
    Future<RowSet<Row>> blocked = client.connection.query("FETCH ALL c").execute();
    pause(300);
    boolean completedEarly = blocked.isComplete();
    await(client.connection.cancelRequest());
    PgException canceled = EmulatorTestClient.awaitFailure(blocked);
    // THEN the timed FETCH waited its timeout for 0 rows, the plain one blocked until canceled
    assertThat(timed.rowCount()).isZero();
    assertThat(timedMs).isGreaterThanOrEqualTo(90);
    assertThat(completedEarly).isFalse();
    assertThat(canceled.getSqlState()).isEqualTo("57014");
    assertThat(canceled.getErrorMessage()).isEqualTo("canceling statement due to user request");
    assertThat(client.queryFailure("FETCH ALL c").getSqlState()).isEqualTo("25P02");
    client.query("ROLLBACK");
    eventually(() -> emulator.activeSubscribes() == 0);
  }

  /** Verifies that FETCH n with a timeout returns as soon as n rows are there and keeps the rest in the portal. */
  @Test
  void fetchCountReturnsEarlyAndKeepsLeftovers(Vertx vertx) {
    // GIVEN three rows and a subscribe without PROGRESS
    startEmulator(vertx, new EmulatorOptions().setTickMs(TICK_MS));
    emulator.insert("t", 1);
    emulator.insert("t", 2);
    emulator.insert("t", 3);
    EmulatorTestClient client = connect();
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE t");
    // WHEN fetching 2 with a long timeout, then the rest
    long started = System.currentTimeMillis();
    RowSet<Row> first = client.query("FETCH 2 c WITH (timeout = '5s')");
    long firstMs = System.currentTimeMillis() - started;
    RowSet<Row> rest = client.query("FETCH FORWARD ALL FROM c WITH (timeout = '0s')");
    // THEN the first returns quickly with 2 rows and the third row is kept for the next FETCH
    assertThat(first.rowCount()).isEqualTo(2);
    assertThat(firstMs).isLessThan(2000);
    assertThat(rest.rowCount()).isEqualTo(1);
    assertThat(rest.iterator().next().getInteger("a")).isEqualTo(3);
  }

  /**
   * Verifies the idle-in-transaction timeout: fetching keeps the session alive; after an idle gap the next message
   * gets FATAL 25P03 and the connection closes (checked on the wire, since Vert.x reports a FATAL error followed by a
   * close as a closed connection).
   */
  @Test
  void idleInTransactionTimeoutTerminatesSession(Vertx vertx) {
    // GIVEN a 1 s idle-in-transaction timeout and an open subscribe transaction
    startEmulator(vertx, new EmulatorOptions().setTickMs(TICK_MS));
    RawWireClient client = RawWireClient.connect(vertx, emulator.port(), new ArrayList<>());
    try {
      client.query("SET idle_in_transaction_session_timeout = '1s'");
      assertThat(client.query("SHOW idle_in_transaction_session_timeout").get(1).columns().get(0).toString())
          .isEqualTo("1s");
      client.query("BEGIN");
      client.query("DECLARE c CURSOR FOR SUBSCRIBE t WITH (PROGRESS)");
      // WHEN the client keeps fetching for 1.5 s, then stays idle for 1.3 s and sends one more FETCH
      long until = System.currentTimeMillis() + 1500;
      while (System.currentTimeMillis() < until) {
        assertThat(RawWireClient.types(client.query("FETCH ALL c WITH (timeout = '300ms')"))).endsWith("CZ");
      }
      pause(1300);
      assertThat(client.next(50)).isNull();
      client.send('Q', RawWireClient.cstrings("FETCH ALL c"));
      RawWireClient.Message answer = client.next(5000);
      // THEN fetching kept it alive, the idle gap ended it with FATAL 25P03, and the connection closed
      assertThat(answer.type()).isEqualTo('E');
      assertThat(answer.field('S')).isEqualTo("FATAL");
      assertThat(answer.field('C')).isEqualTo("25P03");
      assertThat(answer.field('M')).isEqualTo("terminating connection due to idle-in-transaction timeout");
      assertThat(client.awaitClosed()).isTrue();
      eventually(() -> emulator.activeSubscribes() == 0);
    } finally {
      client.close();
    }
  }

  /** Verifies that Vert.x sees the idle-in-transaction termination as a closed connection on its next query. */
  @Test
  void idleInTransactionTimeoutClosesVertxConnection(Vertx vertx) {
    // GIVEN a 300 ms timeout and an open transaction on a Vert.x connection
    startEmulator(vertx, new EmulatorOptions().setTickMs(TICK_MS));
    EmulatorTestClient client = connect();
    client.query("SET idle_in_transaction_session_timeout = 300");
    client.query("BEGIN");
    Promise<Void> closed = Promise.promise();
    client.connection.closeHandler(v -> closed.tryComplete());
    // WHEN it idles past the timeout and then queries
    pause(500);
    Future<RowSet<Row>> next = client.connection.query("SHOW cluster").execute();
    // THEN the query fails and the connection is closed
    await(closed.future());
    Boolean failed = await(next.transform(ar -> Future.succeededFuture(ar.failed())));
    assertThat(failed).isTrue();
  }

  /** Verifies that durations in '5min', '2s' and plain-ms form are accepted, and 0 disables the timeout. */
  @Test
  void idleTimeoutAcceptsUnitsAndZero(Vertx vertx) {
    // GIVEN a connection
    startEmulator(vertx, new EmulatorOptions().setTickMs(TICK_MS));
    EmulatorTestClient client = connect();
    // WHEN setting the timeout in several spellings, the last being 0 (off) after a 1 ms value
    client.query("SET idle_in_transaction_session_timeout = '5min'");
    client.query("SET idle_in_transaction_session_timeout TO '2s'");
    client.query("SET idle_in_transaction_session_timeout = 1500");
    client.query("SET idle_in_transaction_session_timeout = 0");
    client.query("BEGIN");
    pause(100);
    // THEN the session still works, and an unknown variable is rejected with 42704
    assertThat(client.query("COMMIT").size()).isZero();
    assertThat(client.queryFailure("SET no_such_thing = 1").getSqlState()).isEqualTo("42704");
    client.query("RESET idle_in_transaction_session_timeout");
    assertThat(client.rows("SHOW idle_in_transaction_session_timeout")).containsExactly("2 min");
  }

  /** Verifies that killConnection with an error sends FATAL with that SQLSTATE during a blocked FETCH, then closes. */
  @Test
  void killConnectionWithErrorFailsBlockedFetch(Vertx vertx) {
    // GIVEN a FETCH blocked on a quiet subscribe
    startEmulator(vertx, new EmulatorOptions().setTickMs(TICK_MS));
    RawWireClient client = RawWireClient.connect(vertx, emulator.port(), new ArrayList<>());
    try {
      client.query("BEGIN");
      client.query("DECLARE c CURSOR FOR SUBSCRIBE t");
      client.query("FETCH ALL c WITH (timeout = '0s')");
      client.send('Q', RawWireClient.cstrings("FETCH ALL c"));
      RawWireClient.Message description = client.next(5000);
      eventually(() -> emulator.activeSubscribes() == 1);
      // WHEN the server kills it with FATAL 08006
      emulator.killConnection(emulator.connectionIds().get(0), "08006", "connection lost");
      RawWireClient.Message error = client.next(5000);
      // THEN the client sees the error after the RowDescription, the socket closes, the subscribe is released
      assertThat(description.type()).isEqualTo('T');
      assertThat(error.field('C')).isEqualTo("08006");
      assertThat(error.field('S')).isEqualTo("FATAL");
      assertThat(client.awaitClosed()).isTrue();
      eventually(() -> emulator.connectionIds().isEmpty() && emulator.activeSubscribes() == 0);
    } finally {
      client.close();
    }
  }

  /** Verifies that killConnection without error closes the socket and that a closed client releases its engine. */
  @Test
  void killConnectionClosesSocket(Vertx vertx) {
    // GIVEN a running subscribe
    startEmulator(vertx, new EmulatorOptions().setTickMs(TICK_MS));
    EmulatorTestClient client = connect();
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE t WITH (PROGRESS)");
    client.query("FETCH ALL c");
    Promise<Void> closed = Promise.promise();
    client.connection.closeHandler(v -> closed.tryComplete());
    assertThat(emulator.activeSubscribes()).isEqualTo(1);
    // WHEN the server drops the TCP connection
    emulator.killConnection(emulator.connectionIds().get(0));
    // THEN the client notices the close and the subscribe is released
    await(closed.future());
    eventually(() -> emulator.activeSubscribes() == 0);
  }

  /** Verifies that restartServer closes connections, listens on the same port again and keeps data. */
  @Test
  void restartServerKeepsPortAndData(Vertx vertx) {
    // GIVEN a row and a connected client
    startEmulator(vertx, new EmulatorOptions().setTickMs(TICK_MS));
    emulator.insert("t", 42);
    EmulatorTestClient before = connect();
    Promise<Void> closed = Promise.promise();
    before.connection.closeHandler(v -> closed.tryComplete());
    int port = emulator.port();
    // WHEN the server restarts
    await(emulator.restartServer());
    await(closed.future());
    EmulatorTestClient after = connect();
    after.query("BEGIN");
    after.query("DECLARE c CURSOR FOR SUBSCRIBE t");
    // THEN the old connection was closed, the port is unchanged and the snapshot still has the row
    assertThat(emulator.port()).isEqualTo(port);
    assertThat(after.query("FETCH ALL c").iterator().next().getInteger("a")).isEqualTo(42);
  }

  /** Verifies that UP TO ends the stream without a final progress row, after which FETCH returns 0 rows at once. */
  @Test
  void upToEndsStreamWithoutFinalProgress(Vertx vertx) {
    // GIVEN a manual clock, rows at T+1 and T+2 and a subscribe AS OF T+1 UP TO T+3
    startEmulator(vertx, new EmulatorOptions().setTickMs(0).setStartTime(1_000_000L));
    long t1 = emulator.insert("t", 1);
    EmulatorTestClient client = connect();
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE t WITH (PROGRESS) UP TO " + (t1 + 2) + " AS OF " + t1);
    List<String> first = client.rows("FETCH ALL c WITH (timeout = '0s')");
    long t2 = emulator.insert("t", 2);
    emulator.insert("t", 3);
    // WHEN reading past UP TO, then fetching again without timeout
    List<String> second = client.rows("FETCH ALL c WITH (timeout = '0s')");
    long started = System.currentTimeMillis();
    List<String> after = client.rows("FETCH ALL c");
    // THEN rows below UP TO arrive, no progress row follows the last one, and later FETCHes return 0 rows at once
    assertThat(first).containsExactly(t1 + ",true,null,null", t1 + ",false,1,1", (t1 + 1) + ",true,null,null");
    assertThat(second).containsExactly(t2 + ",false,1,2");
    assertThat(after).isEmpty();
    assertThat(System.currentTimeMillis() - started).isLessThan(1000);
    assertThat(emulator.activeSubscribes()).isZero();
  }
}
