package io.tycostream.triggers.emulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.emulator.EmulatorTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conformance of the FETCH wait semantics a low-latency reader relies on (spec §2.1, §10.4): a FETCH without timeout
 * (WaitOnce) returns as soon as a message with a row arrives, with whatever else is ready at that moment, and not
 * for an advance that carries no row; a FETCH with a timeout keeps collecting until its count or its timeout.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FetchWaitConformanceTest {

  private static final long START = 1_000_000L;

  private Vertx vertx;
  private MaterializeEmulator emulator;
  private EmulatorTestClient client;

  private void givenQuietSubscribe(Vertx vertx, String options) {
    this.vertx = vertx;
    emulator = await(MaterializeEmulator.start(vertx, new EmulatorOptions().setTickMs(0).setStartTime(START)));
    emulator.createTable("t", EmulatorColumn.of("a", PgType.INT4));
    client = EmulatorTestClient.connect(vertx, emulator.connectOptions());
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE t" + options);
    // the first FETCH starts the subscribe; take its AS OF progress row, if any
    client.query("FETCH ALL c WITH (timeout = '0s')");
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (emulator != null) {
      await(emulator.stop());
    }
  }

  /**
   * Verifies that a FETCH without timeout, waiting on a quiet stream, returns right after a write commits, with the
   * write's row and the progress row that closes it (both ready at once), not only once its count is reached.
   */
  @Test
  void waitingFetchReturnsAsSoonAsAWriteCommits(Vertx vertx) {
    // GIVEN a quiet PROGRESS subscribe with a FETCH 1000 waiting on it
    givenQuietSubscribe(vertx, " WITH (PROGRESS)");
    Future<RowSet<Row>> waiting = client.connection.query("FETCH 1000 c").execute();
    await(vertx.timer(200));
    boolean returnedWhileQuiet = waiting.isComplete();
    // WHEN a row is written
    long written = emulator.insert("t", 7);
    long writtenAt = System.nanoTime();
    List<String> rows = EmulatorTestClient.render(await(waiting));
    long returnedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - writtenAt);
    // THEN it had kept waiting, and returned at once with the data row and its progress row
    assertThat(returnedWhileQuiet).isFalse();
    assertThat(rows).containsExactly(written + ",false,1,7", (written + 1) + ",true,null,null");
    assertThat(returnedMs).as("FETCH returned %d ms after the write", returnedMs).isLessThan(1_000);
  }

  /** Verifies that an advance carrying no row does not end a FETCH without timeout when there is no PROGRESS. */
  @Test
  void advanceWithoutRowsDoesNotWakeAWaitingFetch(Vertx vertx) {
    // GIVEN a quiet subscribe without PROGRESS and a FETCH waiting on it
    givenQuietSubscribe(vertx, "");
    Future<RowSet<Row>> waiting = client.connection.query("FETCH ALL c").execute();
    // WHEN the upper advances with no write (an empty batch), then a row is written
    emulator.advance("t", emulator.upper("t") + 500);
    await(vertx.timer(200));
    boolean wokenByEmptyBatch = waiting.isComplete();
    long written = emulator.insert("t", 8);
    // THEN only the row ended the FETCH
    assertThat(wokenByEmptyBatch).isFalse();
    assertThat(EmulatorTestClient.render(await(waiting))).containsExactly(written + ",1,8");
  }

  /** Verifies that a FETCH with a timeout keeps collecting past the first row until the timeout passes. */
  @Test
  void fetchWithTimeoutCollectsUntilItsTimeout(Vertx vertx) {
    // GIVEN a quiet PROGRESS subscribe and a FETCH 1000 with a 300 ms timeout
    givenQuietSubscribe(vertx, " WITH (PROGRESS)");
    long started = System.nanoTime();
    Future<RowSet<Row>> collecting = client.connection.query("FETCH 1000 c WITH (timeout = '300ms')").execute();
    // WHEN a row is written at once
    emulator.insert("t", 9);
    RowSet<Row> rows = await(collecting);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    // THEN it still waited for its timeout, then returned the row and its progress row
    assertThat(rows.rowCount()).isEqualTo(2);
    assertThat(tookMs).isGreaterThanOrEqualTo(290);
  }
}
