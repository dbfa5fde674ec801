package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ColumnType;
import io.tycostream.triggers.source.ResumePosition;
import io.tycostream.triggers.source.SourceColumn;
import io.tycostream.triggers.source.SourceSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BatchAssemblerTest {

  private static final SourceSchema SCHEMA = new SourceSchema(
      List.of(new SourceColumn("id", ColumnType.INTEGER, "int4")), List.of("id"));

  private static BigInteger t(long value) {
    return BigInteger.valueOf(value);
  }

  private static Change upsert(long id, long ts) {
    return Change.upsert(List.of(id), Map.of("id", id), t(ts));
  }

  /** Verifies that after a snapshot subscribe the AS OF row closes nothing and the next one closes the snapshot. */
  @Test
  void closesSnapshotWithSecondProgressRow() {
    BatchAssembler assembler = new BatchAssembler("s", ResumePosition.snapshot(), 100);
    // GIVEN the AS OF progress row, two snapshot rows
    assertThat(assembler.progress(t(1000), SCHEMA)).isEmpty();
    assembler.add(upsert(1, 1000));
    assembler.add(upsert(2, 1000));
    // WHEN the next progress row arrives
    List<ChangeBatch> batches = assembler.progress(t(1001), SCHEMA);
    // THEN one snapshot batch holds both rows; the following batch is not a snapshot
    assertThat(batches).containsExactly(new ChangeBatch("s", t(1001), List.of(upsert(1, 1000), upsert(2, 1000)),
        true, SCHEMA));
    assembler.add(upsert(1, 1500));
    assertThat(assembler.progress(t(2000), SCHEMA))
        .containsExactly(new ChangeBatch("s", t(2000), List.of(upsert(1, 1500)), false, SCHEMA));
  }

  /**
   * Verifies that when one progress row closes the snapshot and live changes after AS OF together, the live changes
   * come in a batch of their own, so a consumer baselining from the snapshot batch does not swallow them.
   */
  @Test
  void splitsLiveChangesOffTheSnapshotBatch() {
    BatchAssembler assembler = new BatchAssembler("s", ResumePosition.snapshot(), 100);
    // GIVEN the AS OF row, a snapshot row at AS OF and a live change at AS OF + 500
    assembler.progress(t(1000), SCHEMA);
    assembler.add(upsert(1, 1000));
    assembler.add(upsert(2, 1500));
    // WHEN a single progress row closes both
    List<ChangeBatch> batches = assembler.progress(t(2000), SCHEMA);
    // THEN the snapshot batch ends at AS OF + 1 and the live change follows in a normal batch
    assertThat(batches).containsExactly(
        new ChangeBatch("s", t(1001), List.of(upsert(1, 1000)), true, SCHEMA),
        new ChangeBatch("s", t(2000), List.of(upsert(2, 1500)), false, SCHEMA));
  }

  /** Verifies that an empty snapshot still yields a (snapshot) batch, and quiet progress yields empty batches. */
  @Test
  void emitsEmptyBatchesSoCheckpointsAdvance() {
    BatchAssembler assembler = new BatchAssembler("s", ResumePosition.snapshot(), 100);
    assembler.progress(t(1000), SCHEMA);
    assertThat(assembler.progress(t(1001), SCHEMA))
        .containsExactly(new ChangeBatch("s", t(1001), List.of(), true, SCHEMA));
    assertThat(assembler.progress(t(2000), SCHEMA))
        .containsExactly(new ChangeBatch("s", t(2000), List.of(), false, SCHEMA));
  }

  /** Verifies that after a resume at F, progress rows at or below F close nothing. */
  @Test
  void ignoresProgressAtOrBelowResumeFrontier() {
    BatchAssembler assembler = new BatchAssembler("s", ResumePosition.after(t(2000)), 100);
    // GIVEN the AS OF row F-1, then a repeated F
    assertThat(assembler.progress(t(1999), SCHEMA)).isEmpty();
    assertThat(assembler.progress(t(2000), SCHEMA)).isEmpty();
    // WHEN the update at exactly F is closed by a later progress row
    assembler.add(upsert(1, 2000));
    List<ChangeBatch> batches = assembler.progress(t(2500), SCHEMA);
    // THEN it arrives, not flagged as snapshot
    assertThat(batches).containsExactly(new ChangeBatch("s", t(2500), List.of(upsert(1, 2000)), false, SCHEMA));
  }

  /** Verifies that a progress row not beyond the previous batch's frontier yields no batch. */
  @Test
  void neverEmitsANonIncreasingFrontier() {
    BatchAssembler assembler = new BatchAssembler("s", ResumePosition.snapshot(), 100);
    assembler.progress(t(1000), SCHEMA);
    assembler.progress(t(1001), SCHEMA);
    assertThat(assembler.progress(t(1001), SCHEMA)).isEmpty();
    assertThat(assembler.progress(t(900), SCHEMA)).isEmpty();
  }

  /** Verifies that too many unclosed rows are refused instead of growing memory without bound. */
  @Test
  void boundsUnclosedRows() {
    BatchAssembler assembler = new BatchAssembler("s", ResumePosition.snapshot(), 2);
    assembler.progress(t(1000), SCHEMA);
    assembler.add(upsert(1, 1000));
    assembler.add(upsert(2, 1000));
    assertThatThrownBy(() -> assembler.add(upsert(3, 1000))).isInstanceOf(SubscribeOutputException.class);
    assertThat(assembler.unclosedRows()).isEqualTo(2);
  }
}
