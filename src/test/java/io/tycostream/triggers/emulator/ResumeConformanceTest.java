package io.tycostream.triggers.emulator;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.emulator.EmulatorTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conformance of resume and history retention (spec §3, §4.3, §4.4; scenarios 6 and 7 of §10.7).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ResumeConformanceTest {

  private static final long T0 = 1_713_467_627_000L;
  private static final String RESUME = "DECLARE c CURSOR FOR SUBSCRIBE items ENVELOPE UPSERT (KEY (id)) "
      + "WITH (PROGRESS, SNAPSHOT = false) AS OF ";

  private MaterializeEmulator emulator;
  private final List<EmulatorTestClient> clients = new ArrayList<>();

  private void startEmulator(Vertx vertx, EmulatorOptions options) {
    emulator = await(MaterializeEmulator.start(vertx, options));
    emulator.createTable("items", EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("qty", PgType.INT4));
  }

  private EmulatorTestClient connect(Vertx vertx) {
    EmulatorTestClient client = EmulatorTestClient.connect(vertx, emulator.connectOptions());
    clients.add(client);
    return client;
  }

  @AfterEach
  void stop() {
    clients.forEach(EmulatorTestClient::close);
    await(emulator.stop());
  }

  /** Progress frontier carried by a rendered progress row ("ts,true,…"), or -1 for a data row. */
  private static long progressOf(String row) {
    String[] parts = row.split(",");
    return parts[1].equals("true") ? Long.parseLong(parts[0]) : -1;
  }

  /**
   * Verifies the off-by-one of SNAPSHOT = false: resuming AS OF F-1 sees an update written exactly at the stored
   * frontier F, while resuming AS OF F silently misses it.
   */
  @Test
  void resumeAsOfFrontierMinusOneSeesUpdateAtFrontierButAsOfFrontierMissesIt(Vertx vertx) {
    // GIVEN a manual clock, a reader that stored frontier F from its last progress row, then disconnected
    startEmulator(vertx, new EmulatorOptions().setTickMs(0).setStartTime(T0));
    emulator.insert("items", 1, 10);
    EmulatorTestClient first = connect(vertx);
    first.query("BEGIN");
    first.query("DECLARE c CURSOR FOR SUBSCRIBE items ENVELOPE UPSERT (KEY (id)) WITH (PROGRESS)");
    List<String> seen = first.rows("FETCH ALL c WITH (timeout = '0s')");
    long frontier = progressOf(seen.get(seen.size() - 1));
    first.close();
    // AND an update written exactly at F while it was away
    long updateTime = emulator.updateAt("items", frontier, new Object[] {1, 10}, new Object[] {1, 11});
    assertThat(updateTime).isEqualTo(frontier);

    // WHEN one reader resumes AS OF F-1 and another AS OF F
    EmulatorTestClient right = connect(vertx);
    right.query("BEGIN");
    right.query(RESUME + (frontier - 1));
    List<String> fromFMinusOne = right.rows("FETCH ALL c WITH (timeout = '0s')");
    EmulatorTestClient wrong = connect(vertx);
    wrong.query("BEGIN");
    wrong.query(RESUME + frontier);
    List<String> fromF = wrong.rows("FETCH ALL c WITH (timeout = '0s')");

    // THEN AS OF F-1 delivers the update at F, and AS OF F loses it
    assertThat(fromFMinusOne).containsExactly(
        (frontier - 1) + ",true,null,null,null",
        frontier + ",false,upsert,1,11",
        (frontier + 1) + ",true,null,null,null");
    assertThat(fromF).containsExactly(
        frontier + ",true,null,null,null",
        (frontier + 1) + ",true,null,null,null");
  }

  /** Verifies that a killed reader resuming AS OF F-1 with a ticking clock sees every later change exactly once. */
  @Test
  void resumeAfterKillHasNoGapsAndNoDuplicates(Vertx vertx) {
    // GIVEN a ticking emulator and a reader that consumed up to a progress row F, then was killed
    startEmulator(vertx, new EmulatorOptions().setTickMs(20));
    emulator.insert("items", 1, 1);
    EmulatorTestClient first = connect(vertx);
    first.query("BEGIN");
    first.query("DECLARE c CURSOR FOR SUBSCRIBE items ENVELOPE UPSERT (KEY (id)) WITH (PROGRESS)");
    emulator.insert("items", 2, 2);
    List<String> seen = first.fetchUntil("c", rows -> rows.stream().anyMatch(r -> r.contains(",upsert,2,2")));
    first.fetchUntil("c", rows -> rows.stream().anyMatch(r -> progressOf(r) > 0));
    List<String> more = first.fetchUntil("c", rows -> rows.stream().anyMatch(r -> progressOf(r) > 0));
    long frontier = more.stream().mapToLong(ResumeConformanceTest::progressOf).max().orElseThrow();
    emulator.killConnection(emulator.connectionIds().get(0));
    // AND three changes after F while it is away
    emulator.insert("items", 3, 3);
    emulator.update("items", new Object[] {1, 1}, new Object[] {1, 100});
    emulator.delete("items", 2, 2);

    // WHEN it resumes AS OF F-1 without a snapshot and reads until a progress row passes the last change
    long lastWrite = emulator.upper("items") - 1;
    EmulatorTestClient second = connect(vertx);
    second.query("BEGIN");
    second.query(RESUME + (frontier - 1));
    List<String> resumed = second.fetchUntil("c", rows -> rows.stream().anyMatch(r -> progressOf(r) > lastWrite));

    // THEN exactly the three changes arrive, once each, and nothing from before F
    List<String> data = resumed.stream().filter(r -> progressOf(r) < 0).map(r -> r.substring(r.indexOf(',') + 1))
        .toList();
    assertThat(seen).isNotEmpty();
    assertThat(data).containsExactly("false,upsert,3,3", "false,upsert,1,100", "false,delete,2,null");
    assertThat(progressOf(resumed.get(0))).isEqualTo(frontier - 1);
  }

  /** Verifies that an AS OF below the since fails at the first FETCH, not at DECLARE, with the CURRENT error. */
  @Test
  void historyLostFailsFirstFetchWithCurrentError(Vertx vertx) {
    // GIVEN history compacted past F-1
    startEmulator(vertx, new EmulatorOptions().setTickMs(0).setStartTime(T0));
    long written = emulator.insert("items", 1, 1);
    emulator.compact("items", written + 1);
    EmulatorTestClient client = connect(vertx);
    client.query("BEGIN");
    // WHEN resuming AS OF the old time
    client.query(RESUME + written);
    PgException error = client.queryFailure("FETCH ALL c WITH (timeout = '0s')");
    // THEN the DECLARE succeeded and the FETCH failed with 22000; the transaction is failed afterwards
    assertThat(error.getSqlState()).isEqualTo("22000");
    assertThat(error.getErrorMessage()).isEqualTo("could not find a valid timestamp for the query");
    assertThat(client.queryFailure("FETCH ALL c").getSqlState()).isEqualTo("25P02");
    assertThat(client.query("COMMIT").size()).isZero();
  }

  /** Verifies the LEGACY form of the history-lost error: XX000 "Timestamp (x) is not valid for all inputs". */
  @Test
  void historyLostFailsFirstFetchWithLegacyError(Vertx vertx) {
    // GIVEN the LEGACY profile and history compacted past the requested AS OF
    startEmulator(vertx, new EmulatorOptions().setTickMs(0).setStartTime(T0).setErrorProfile(ErrorProfile.LEGACY));
    long written = emulator.insert("items", 1, 1);
    emulator.compact("items", written + 5);
    EmulatorTestClient client = connect(vertx);
    client.query("BEGIN");
    client.query(RESUME + written);
    // WHEN the first FETCH runs
    PgException error = client.queryFailure("FETCH ALL c WITH (timeout = '0s')");
    // THEN it fails with the internal error text of older versions
    assertThat(error.getSqlState()).isEqualTo("XX000");
    assertThat(error.getErrorMessage()).startsWith("Timestamp (" + written + ") is not valid for all inputs: [");
  }

  /** Verifies that AS OF AT LEAST moves up to the since instead of failing, and UP TO below AS OF is rejected. */
  @Test
  void asOfAtLeastAndUpToBelowAsOf(Vertx vertx) {
    // GIVEN history compacted to S
    startEmulator(vertx, new EmulatorOptions().setTickMs(0).setStartTime(T0));
    emulator.insert("items", 1, 1);
    long since = emulator.upper("items") - 1;
    emulator.compact("items", since);
    EmulatorTestClient client = connect(vertx);
    // WHEN subscribing AS OF AT LEAST a compacted time, and separately with UP TO < AS OF
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE items WITH (PROGRESS) AS OF AT LEAST " + T0);
    List<String> rows = client.rows("FETCH ALL c WITH (timeout = '0s')");
    client.query("ROLLBACK");
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE items UP TO " + T0 + " AS OF " + since);
    PgException error = client.queryFailure("FETCH ALL c");
    // THEN the first picks the since, the second fails with 22000
    assertThat(rows.get(0)).isEqualTo(since + ",true,null,null,null");
    assertThat(error.getSqlState()).isEqualTo("22000");
    assertThat(error.getErrorMessage()).isEqualTo(
        "subscription lower (\"as of\") bound is beyond its upper (\"up to\") bound: " + T0 + " < " + since);
  }
}
