package io.tycostream.triggers.trigger;

import io.tycostream.triggers.definition.DeliverIf;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ColumnType;
import io.tycostream.triggers.source.SourceColumn;
import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.source.SourceSnapshot;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the other-source rows behind {@code deliver_if} (#11 item 9) without Vert.x: unknown until a snapshot,
 * commits held while it is awaited and applied after it (those below its frontier skipped), deletes, re-snapshots.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OtherSourceRowsTest {

  private static final SourceSchema MARKET = new SourceSchema(List.of(
      new SourceColumn("exchange", ColumnType.TEXT, "text"), new SourceColumn("open", ColumnType.BOOLEAN, "boolean")),
      List.of("exchange"));
  private static final DeliverIf NYSE_OPEN = new DeliverIf("market_hours", List.of("NYSE"),
      new JsonObject().put("open", new JsonObject().put("_eq", true)));
  private static final Set<String> NYSE = Set.of("[\"NYSE\"]");

  /** Verifies that nothing holds before the first snapshot, and that the snapshot's row then decides. */
  @Test
  void unknownUntilTheSnapshotArrives() {
    OtherSourceRows rows = new OtherSourceRows();
    assertThat(rows.knows(NYSE)).isFalse();
    assertThat(rows.holds(NYSE_OPEN)).isFalse();

    rows.expect(NYSE);
    rows.snapshot(snapshot(100, row("NYSE", true), row("LSE", false)));

    assertThat(rows.knows(NYSE)).isTrue();
    assertThat(rows.knows(Set.of("[\"LSE\"]"))).isFalse();
    assertThat(rows.holds(NYSE_OPEN)).isTrue();
  }

  /** Verifies that commits arriving while the snapshot is awaited apply after it, older changes skipped. */
  @Test
  void commitsHeldDuringTheSnapshotApplyAfterIt() {
    OtherSourceRows rows = new OtherSourceRows();
    rows.expect(NYSE);
    // already in the snapshot (below its frontier 100): must not undo it
    rows.committed(commit(90, false, upsert("NYSE", false, 89)));
    // after the snapshot: closes the market
    rows.committed(commit(120, false, upsert("NYSE", false, 110)));

    rows.snapshot(snapshot(100, row("NYSE", true)));

    assertThat(rows.holds(NYSE_OPEN)).isFalse();
    rows.committed(commit(130, false, upsert("NYSE", true, 125)));
    assertThat(rows.holds(NYSE_OPEN)).isTrue();
    rows.committed(commit(140, false, Change.delete(List.of("NYSE"), BigInteger.valueOf(135))));
    assertThat(rows.holds(NYSE_OPEN)).isFalse();
  }

  /** Verifies that a re-snapshot of the other source (lost history) replaces the rows: a missing key is gone. */
  @Test
  void aReSnapshotReplacesTheRows() {
    OtherSourceRows rows = new OtherSourceRows();
    rows.expect(NYSE);
    rows.snapshot(snapshot(100, row("NYSE", true)));

    rows.committed(commit(200, true, upsert("LSE", true, 199)));

    assertThat(rows.holds(NYSE_OPEN)).isFalse();
  }

  @SafeVarargs
  private static SourceSnapshot snapshot(long frontier, Map<String, Object>... rows) {
    List<Change> changes = java.util.Arrays.stream(rows).map(row -> Change.upsert(List.of(row.get("exchange")), row,
        BigInteger.valueOf(frontier - 1))).toList();
    return new SourceSnapshot("market_hours", BigInteger.valueOf(frontier), changes, MARKET);
  }

  private static CommittedChanges commit(long frontier, boolean snapshot, Change... changes) {
    return new CommittedChanges("market_hours", BigInteger.valueOf(frontier), List.of(changes), snapshot);
  }

  private static Change upsert(String exchange, boolean open, long at) {
    return Change.upsert(List.of(exchange), row(exchange, open), BigInteger.valueOf(at));
  }

  private static Map<String, Object> row(String exchange, boolean open) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("exchange", exchange);
    row.put("open", open);
    return row;
  }
}
