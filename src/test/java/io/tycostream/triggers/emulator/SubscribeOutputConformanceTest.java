package io.tycostream.triggers.emulator;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.emulator.EmulatorTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conformance of the emulator's SUBSCRIBE output (spec §1.3–§1.5, §8, scenarios 1, 3, 4, 5 of §10.7) with a manual
 * clock, so every timestamp is known in advance.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubscribeOutputConformanceTest {

  private static final long T0 = 1_713_467_627_000L;

  private MaterializeEmulator emulator;
  private EmulatorTestClient client;

  @BeforeEach
  void start(Vertx vertx) {
    emulator = await(MaterializeEmulator.start(vertx, new EmulatorOptions().setTickMs(0).setStartTime(T0)));
    emulator.createTable("items", EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("name", PgType.TEXT),
        EmulatorColumn.of("qty", PgType.INT4));
    client = EmulatorTestClient.connect(vertx, emulator.connectOptions());
  }

  @AfterEach
  void stop() {
    client.close();
    await(emulator.stop());
  }

  /** Verifies that ENVELOPE UPSERT with PROGRESS yields the rows of spec §8.1: snapshot, upserts, delete, progress. */
  @Test
  void upsertEnvelopeMatchesWorkedExample() {
    // GIVEN two rows written at T0+1 and T0+2 (upper T0+3, so AS OF defaults to T0+2)
    emulator.insert("items", 1, "apple", 10);
    emulator.insert("items", 2, "pear", 5);
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE items ENVELOPE UPSERT (KEY (id)) WITH (PROGRESS, SNAPSHOT = true)");
    // WHEN the snapshot is fetched and three changes follow, the last two closed by one progress row
    List<String> snapshot = client.rows("FETCH ALL c WITH (timeout = '0s')");
    emulator.updateAt("items", T0 + 1500, new Object[] {1, "apple", 10}, new Object[] {1, "apple", 7});
    emulator.pauseProgress("items");
    emulator.updateAt("items", T0 + 2200, new Object[] {2, "pear", 5}, new Object[] {2, "green pear", 5});
    emulator.deleteAt("items", T0 + 3100, 1, "apple", 7);
    emulator.advance("items", T0 + 4000);
    emulator.resumeProgress("items");
    List<String> changes = client.rows("FETCH ALL c WITH (timeout = '0s')");
    // THEN the rows are exactly those of the worked example
    assertThat(client.query("FETCH 0 c").columnsNames())
        .containsExactly("mz_timestamp", "mz_progressed", "mz_state", "id", "name", "qty");
    assertThat(snapshot).containsExactly(
        (T0 + 2) + ",true,null,null,null,null",
        (T0 + 2) + ",false,upsert,1,apple,10",
        (T0 + 2) + ",false,upsert,2,pear,5",
        (T0 + 3) + ",true,null,null,null,null");
    assertThat(changes).containsExactly(
        (T0 + 1500) + ",false,upsert,1,apple,7",
        (T0 + 1501) + ",true,null,null,null,null",
        (T0 + 2200) + ",false,upsert,2,green pear,5",
        (T0 + 3100) + ",false,delete,1,null,null",
        (T0 + 4000) + ",true,null,null,null,null");
  }

  /** Verifies that the diffs output shows an update as -1/+1 sorted by row, so +1 can precede -1 (spec §8.2). */
  @Test
  void diffsOutputSortsWithinTimestampByRow() {
    // GIVEN a PROGRESS diffs subscribe over one row
    emulator.insert("items", 2, "pear", 5);
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE items WITH (PROGRESS)");
    client.rows("FETCH ALL c WITH (timeout = '0s')");
    // WHEN the row is renamed to a name that sorts before the old one
    long t = emulator.update("items", new Object[] {2, "pear", 5}, new Object[] {2, "green pear", 5});
    List<String> rows = client.rows("FETCH ALL c WITH (timeout = '0s')");
    // THEN the +1 comes first, then the -1, then the progress row
    assertThat(rows).containsExactly(
        t + ",false,1,2,green pear,5",
        t + ",false,-1,2,pear,5",
        (t + 1) + ",true,null,null,null,null");
  }

  /** Verifies that a snapshot larger than one FETCH spans several FETCHes and its progress row comes last. */
  @Test
  void bigSnapshotSpansFetchesWithProgressAfterLastRow() {
    // GIVEN 2500 rows written at one time
    List<RowDiff> diffs = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      diffs.add(RowDiff.insert(i, "n" + i, i));
    }
    emulator.write("items", emulator.upper("items"), diffs);
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE items ENVELOPE UPSERT (KEY (id)) WITH (PROGRESS)");
    // WHEN fetched 1000 rows at a time (the first FETCH waits while the snapshot is produced, as on Materialize;
    // once it has returned, the whole snapshot is buffered)
    List<Integer> sizes = new ArrayList<>();
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      List<String> page = client.rows("FETCH 1000 c WITH (timeout = '" + (i == 0 ? "5s" : "0s") + "')");
      sizes.add(page.size());
      all.addAll(page);
    }
    // THEN pages are full until the data runs out: 1 initial progress + 2500 rows + 1 closing progress
    assertThat(sizes).containsExactly(1000, 1000, 502, 0);
    assertThat(all.get(0)).contains(",true,");
    assertThat(all.subList(1, 2501)).allMatch(row -> row.contains(",false,upsert,"));
    assertThat(all.get(2501)).contains(",true,");
  }

  /** Verifies that one progress row can close several timestamps, each with its own row for the same key. */
  @Test
  void oneProgressClosesSeveralTimestampsForOneKey() {
    // GIVEN an upsert subscribe past its snapshot
    emulator.insert("items", 1, "apple", 10);
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE items ENVELOPE UPSERT (KEY (id)) WITH (PROGRESS)");
    client.rows("FETCH ALL c WITH (timeout = '0s')");
    // WHEN the same key changes at two times while progress is stalled
    emulator.pauseProgress("items");
    long t1 = emulator.update("items", new Object[] {1, "apple", 10}, new Object[] {1, "apple", 11});
    long t2 = emulator.update("items", new Object[] {1, "apple", 11}, new Object[] {1, "apple", 12});
    emulator.resumeProgress("items");
    List<String> rows = client.rows("FETCH ALL c WITH (timeout = '0s')");
    // THEN both timestamps appear, then a single progress row
    assertThat(rows).containsExactly(
        t1 + ",false,upsert,1,apple,11",
        t2 + ",false,upsert,1,apple,12",
        (t2 + 1) + ",true,null,null,null,null");
  }

  /** Verifies that two live rows for one key at one timestamp produce a key_violation row with NULL values. */
  @Test
  void duplicateKeyYieldsKeyViolation() {
    // GIVEN an upsert subscribe
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE items ENVELOPE UPSERT (KEY (id)) WITH (PROGRESS)");
    client.rows("FETCH ALL c WITH (timeout = '0s')");
    // WHEN two different rows with the same key are inserted at one time
    long t = emulator.write("items", emulator.upper("items"),
        List.of(RowDiff.insert(7, "a", 1), RowDiff.insert(7, "b", 2)));
    List<String> rows = client.rows("FETCH ALL c WITH (timeout = '0s')");
    // THEN one key_violation row is emitted for the key
    assertThat(rows).containsExactly(t + ",false,key_violation,7,null,null", (t + 1) + ",true,null,null,null,null");
  }

  /** Verifies that KEY columns come first in KEY order, then value columns in relation order. */
  @Test
  void keyColumnsComeFirstInKeyOrder() {
    // GIVEN a subscribe keyed by (qty, id) declared with quoted identifiers and clauses in another order
    client.query("BEGIN");
    client.query("declare c cursor for subscribe to \"items\" with (progress) "
        + "envelope upsert (key (qty, \"id\"))");
    // WHEN the cursor is described by a FETCH 0
    List<String> names = client.query("FETCH 0 c").columnsNames();
    // THEN the columns follow the spec's order
    assertThat(names).containsExactly("mz_timestamp", "mz_progressed", "mz_state", "qty", "id", "name");
  }
}
