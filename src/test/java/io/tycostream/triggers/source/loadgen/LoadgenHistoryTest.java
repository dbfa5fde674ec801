package io.tycostream.triggers.source.loadgen;

import io.tycostream.triggers.config.LoadgenConfig;
import io.tycostream.triggers.source.ChangeFold;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.SourceSnapshot;
import io.tycostream.triggers.source.SourceSnapshotException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verifies that the load generator's retained history answers snapshots exactly inside its window only. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadgenHistoryTest {

  private static final LoadgenConfig CONFIG = new LoadgenConfig(6, 10, 3, 7);

  /** Verifies that a snapshot at every retained frontier equals the fold of the batches up to it. */
  @Test
  void snapshotAtEveryRetainedFrontierEqualsTheFoldUpToIt() {
    // GIVEN a history of capacity 4 that saw the snapshot and 10 ticks
    LoadgenHistory history = new LoadgenHistory("positions", PositionsGenerator.SCHEMA, 4);
    history.reset(null, List.of());
    List<ChangeBatch> emitted = emit(history, 11);

    // WHEN snapshots are taken at each of the last five frontiers (the base and the four retained batches)
    for (int i = emitted.size() - 5; i < emitted.size(); i++) {
      BigInteger frontier = emitted.get(i).frontier();
      SourceSnapshot snapshot = history.snapshotAt(frontier);
      // THEN each equals the test's own fold of the emitted batches up to that frontier
      assertThat(snapshot.frontier()).isEqualTo(frontier);
      assertThat(snapshot.schema()).isEqualTo(PositionsGenerator.SCHEMA);
      assertThat(snapshot.rows()).containsExactlyInAnyOrderElementsOf(ChangeFold.upTo(emitted, frontier));
    }
  }

  /** Verifies that a frontier older than the window fails as HISTORY_LOST and one not reached yet as TRANSIENT. */
  @Test
  void refusesFrontiersOutsideTheWindow() {
    // GIVEN a history of capacity 4 that saw the snapshot and 10 ticks
    LoadgenHistory history = new LoadgenHistory("positions", PositionsGenerator.SCHEMA, 4);
    history.reset(null, List.of());
    List<ChangeBatch> emitted = emit(history, 11);

    // WHEN / THEN the frontier just before the window is lost
    BigInteger tooOld = emitted.get(emitted.size() - 6).frontier();
    assertThatThrownBy(() -> history.snapshotAt(tooOld))
        .isInstanceOfSatisfying(SourceSnapshotException.class,
            e -> assertThat(e.kind()).isEqualTo(FailureKind.HISTORY_LOST))
        .hasMessageContaining(tooOld.toString());
    // AND a frontier beyond the newest emitted one is not answered (yet)
    BigInteger future = emitted.get(emitted.size() - 1).frontier().add(BigInteger.ONE);
    assertThatThrownBy(() -> history.snapshotAt(future))
        .isInstanceOfSatisfying(SourceSnapshotException.class,
            e -> assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT));
  }

  /** Verifies that after a reset at a resume frontier the base rows are the snapshot there. */
  @Test
  void resetAtResumeFrontierAnswersFromTheGivenRows() {
    // GIVEN a generator replayed to the frontier of its 5th tick, and a history reset there
    PositionsGenerator generator = new PositionsGenerator("positions", CONFIG);
    List<ChangeBatch> reference = new ArrayList<>();
    reference.add(generator.snapshot());
    for (int i = 0; i < 5; i++) {
      reference.add(generator.nextTick());
    }
    BigInteger resumeAt = reference.get(5).frontier();
    PositionsGenerator resumed = new PositionsGenerator("positions", CONFIG);
    resumed.skipTo(resumeAt);
    LoadgenHistory history = new LoadgenHistory("positions", PositionsGenerator.SCHEMA, 4);
    history.reset(resumed.frontier(), resumed.liveRows());

    // WHEN a snapshot is taken at the resume frontier
    SourceSnapshot snapshot = history.snapshotAt(resumeAt);

    // THEN it equals the fold of the uninterrupted stream up to it
    assertThat(snapshot.rows()).containsExactlyInAnyOrderElementsOf(ChangeFold.upTo(reference, resumeAt));
  }

  private static List<ChangeBatch> emit(LoadgenHistory history, int count) {
    PositionsGenerator generator = new PositionsGenerator("positions", CONFIG);
    List<ChangeBatch> emitted = new ArrayList<>();
    emitted.add(generator.snapshot());
    while (emitted.size() < count) {
      emitted.add(generator.nextTick());
    }
    emitted.forEach(history::record);
    return emitted;
  }
}
