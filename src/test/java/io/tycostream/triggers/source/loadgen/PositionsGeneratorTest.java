package io.tycostream.triggers.source.loadgen;

import io.tycostream.triggers.config.LoadgenConfig;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ColumnType;
import io.tycostream.triggers.source.SourceColumn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Verifies that the position generator produces a deterministic, well-formed stream of batches. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PositionsGeneratorTest {

  private static final LoadgenConfig SETTINGS = new LoadgenConfig(10, 100, 4, 7);

  /** Verifies that two generators with the same seed produce identical batches and another seed does not. */
  @Test
  void sameSeedGivesSameStream() {
    // GIVEN two generators with the same settings and one with another seed
    List<ChangeBatch> first = stream(new PositionsGenerator("p", SETTINGS), 200);
    List<ChangeBatch> second = stream(new PositionsGenerator("p", SETTINGS), 200);
    List<ChangeBatch> otherSeed = stream(new PositionsGenerator("p", new LoadgenConfig(10, 100, 4, 8)), 200);

    // THEN the same seed gives equal batches, a different seed different changes
    assertThat(second).isEqualTo(first);
    assertThat(otherSeed.get(0).changes()).isNotEqualTo(first.get(0).changes());
  }

  /** Verifies that the first batch is a snapshot of every account with the declared column types. */
  @Test
  void snapshotComesFirstWithEveryAccount() {
    // WHEN the stream starts
    ChangeBatch snapshot = new PositionsGenerator("p", SETTINGS).snapshot();

    // THEN it is a snapshot of 10 distinct live accounts whose values match the schema types
    assertThat(snapshot.snapshot()).isTrue();
    assertThat(snapshot.changes()).hasSize(10).noneMatch(Change::deleted);
    assertThat(snapshot.changes().stream().map(Change::key).distinct()).hasSize(10);
    assertThat(snapshot.frontier()).isEqualTo(BigInteger.valueOf(PositionsGenerator.EPOCH_MS + 1));
    assertThat(snapshot.schema().keyColumns()).containsExactly("account");
    assertThat(snapshot.schema().columns()).extracting(SourceColumn::name)
        .containsExactly("account", "symbol", "net_position", "price", "risk_limit", "updated_at");
    Change first = snapshot.changes().get(0);
    assertThat(first.row().get("account")).isInstanceOf(String.class).isEqualTo(first.key().get(0));
    assertThat(first.row().get("net_position")).isInstanceOf(BigDecimal.class);
    assertThat(first.row().get("price")).isInstanceOf(BigDecimal.class);
    assertThat(first.row().get("risk_limit")).isInstanceOf(BigDecimal.class);
    assertThat(first.row().get("updated_at")).isInstanceOf(OffsetDateTime.class);
    assertThat(snapshot.schema().column("updated_at").orElseThrow().type()).isEqualTo(ColumnType.TIMESTAMPTZ);
  }

  /** Verifies that frontiers strictly increase and every change lies in [previous frontier, frontier). */
  @Test
  void frontiersIncreaseAndBoundTheirChanges() {
    // GIVEN 500 batches
    List<ChangeBatch> batches = stream(new PositionsGenerator("p", SETTINGS), 500);

    // THEN each tick has changes_per_tick distinct keys inside its time window
    BigInteger previous = BigInteger.ZERO;
    for (ChangeBatch batch : batches) {
      assertThat(batch.frontier()).isGreaterThan(previous);
      for (Change change : batch.changes()) {
        assertThat(change.timestamp()).isLessThan(batch.frontier()).isGreaterThanOrEqualTo(previous);
      }
      if (!batch.snapshot()) {
        assertThat(batch.changes()).hasSize(4);
        assertThat(batch.changes().stream().map(Change::key).distinct()).hasSize(4);
      }
      previous = batch.frontier();
    }
  }

  /** Verifies that over a long run accounts are deleted and later re-inserted, and prices stay positive. */
  @Test
  void deletesAndReinsertsAccounts() {
    // GIVEN 2,000 ticks
    List<ChangeBatch> batches = stream(new PositionsGenerator("p", SETTINGS), 2_000);

    // THEN some keys are deleted and appear again afterwards
    Set<List<Object>> deleted = new HashSet<>();
    Set<List<Object>> reinserted = new HashSet<>();
    for (ChangeBatch batch : batches) {
      for (Change change : batch.changes()) {
        if (change.deleted()) {
          deleted.add(change.key());
        } else {
          if (deleted.contains(change.key())) {
            reinserted.add(change.key());
          }
          assertThat((BigDecimal) change.row().get("price")).isPositive();
        }
      }
    }
    assertThat(deleted).isNotEmpty();
    assertThat(reinserted).isNotEmpty();
  }

  /** Verifies that resuming after a frontier continues exactly like the uninterrupted stream, without snapshot. */
  @Test
  void resumesAfterFrontierLikeTheUninterruptedStream() {
    // GIVEN an uninterrupted stream and the frontier of its 50th batch
    List<ChangeBatch> uninterrupted = stream(new PositionsGenerator("p", SETTINGS), 80);
    BigInteger resumeAfter = uninterrupted.get(49).frontier();

    // WHEN a fresh generator skips to that frontier and produces the rest
    PositionsGenerator resumed = new PositionsGenerator("p", SETTINGS);
    resumed.skipTo(resumeAfter);
    List<ChangeBatch> rest = new ArrayList<>();
    for (int i = 50; i < 80; i++) {
      rest.add(resumed.nextTick());
    }

    // THEN the batches equal the uninterrupted ones and none is a snapshot
    assertThat(rest).isEqualTo(uninterrupted.subList(50, 80));
    assertThat(rest).noneMatch(ChangeBatch::snapshot);
    assertThat(rest.get(0).changes()).allMatch(change -> change.timestamp().compareTo(resumeAfter) >= 0);
  }

  private static List<ChangeBatch> stream(PositionsGenerator generator, int count) {
    List<ChangeBatch> batches = new ArrayList<>();
    batches.add(generator.snapshot());
    for (int i = 1; i < count; i++) {
      batches.add(generator.nextTick());
    }
    return batches;
  }
}
