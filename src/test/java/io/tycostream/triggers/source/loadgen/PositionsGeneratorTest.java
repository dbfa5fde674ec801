package io.tycostream.triggers.source.loadgen;

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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Verifies that the position generator produces a deterministic, well-formed stream computable at any position.
 * The timeout runs tests on a separate thread so that a generator that replays history fails instead of hanging.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PositionsGeneratorTest {

  private static final LoadgenOptions SETTINGS = options(10, 100, 4, 7);
  /** 7 accounts, 3 changes per tick of 10 ms: slots at +0, +3, +6 ms, rounds of lcm(7, 3) = 21 changes. */
  private static final LoadgenOptions ODD = options(7, 10, 3, 11);

  /** Verifies that two generators with the same seed produce identical batches and another seed does not. */
  @Test
  void sameSeedGivesSameStream() {
    // GIVEN two generators with the same settings and one with another seed
    List<ChangeBatch> first = stream(new PositionsGenerator("p", SETTINGS), 200);
    List<ChangeBatch> second = stream(new PositionsGenerator("p", SETTINGS), 200);
    List<ChangeBatch> otherSeed = stream(new PositionsGenerator("p", options(10, 100, 4, 8)), 200);

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

    // THEN some keys are deleted and appear again afterwards, and no live key is deleted twice in a row
    Set<List<Object>> deleted = new HashSet<>();
    Set<List<Object>> reinserted = new HashSet<>();
    for (ChangeBatch batch : batches) {
      for (Change change : batch.changes()) {
        if (change.deleted()) {
          assertThat(deleted.add(change.key())).as("delete of a deleted key %s", change.key()).isTrue();
        } else {
          if (deleted.remove(change.key())) {
            reinserted.add(change.key());
          }
          assertThat((BigDecimal) change.row().get("price")).isPositive();
        }
      }
    }
    assertThat(reinserted).isNotEmpty();
  }

  /** Verifies that positions move enough for thresholds to be crossed both ways (triggers fire and clear). */
  @Test
  void positionsCrossThresholdsBothWays() {
    // GIVEN 2,000 ticks of one account's net position
    List<ChangeBatch> batches = stream(new PositionsGenerator("p", SETTINGS), 2_000);
    BigDecimal threshold = new BigDecimal("10000");

    // THEN some account goes above 10,000 and back below it, more than once
    Map<List<Object>, Boolean> above = new HashMap<>();
    int crossings = 0;
    for (ChangeBatch batch : batches) {
      for (Change change : batch.changes()) {
        if (!change.deleted()) {
          boolean now = ((BigDecimal) change.row().get("net_position")).compareTo(threshold) > 0;
          Boolean before = above.put(change.key(), now);
          crossings += before != null && before != now ? 1 : 0;
        }
      }
    }
    assertThat(crossings).isGreaterThan(10);
  }

  /** Verifies that every round of lcm(entities, changes per tick) changes visits each account equally often. */
  @Test
  void visitsEveryAccountEquallyInEachRound() {
    // GIVEN 7 accounts and 3 changes per tick: a round is 21 changes, 7 ticks, 3 visits per account
    PositionsGenerator generator = new PositionsGenerator("p", ODD);
    for (long round : new long[] {0, 1, 12_345_678}) {
      // WHEN the ticks of one round are generated
      Map<Object, Integer> visits = new HashMap<>();
      for (long tick = round * 7; tick < round * 7 + 7; tick++) {
        generator.tick(tick).changes().forEach(change -> visits.merge(change.key().get(0), 1, Integer::sum));
      }
      // THEN every account was changed exactly three times
      assertThat(visits).as("round %s", round).hasSize(7).allSatisfy((account, count) -> assertThat(count)
          .isEqualTo(3));
    }
  }

  /** Verifies that resuming after a frontier continues exactly like the uninterrupted stream, without snapshot. */
  @Test
  void resumesAfterFrontierLikeTheUninterruptedStream() {
    // GIVEN an uninterrupted stream and the frontier of its 50th batch
    List<ChangeBatch> uninterrupted = stream(new PositionsGenerator("p", SETTINGS), 80);
    BigInteger resumeAfter = uninterrupted.get(49).frontier();

    // WHEN a fresh generator starts at the tick holding that frontier and produces the rest
    PositionsGenerator resumed = new PositionsGenerator("p", SETTINGS);
    long next = resumed.tickAt(resumeAfter);
    List<ChangeBatch> rest = new ArrayList<>();
    rest.add(resumed.tickFrom(next, resumeAfter));
    for (long tick = next + 1; rest.size() < 30; tick++) {
      rest.add(resumed.tick(tick));
    }

    // THEN the batches equal the uninterrupted ones and none is a snapshot
    assertThat(rest).isEqualTo(uninterrupted.subList(50, 80));
    assertThat(rest).noneMatch(ChangeBatch::snapshot);
    assertThat(rest.get(0).changes()).allMatch(change -> change.timestamp().compareTo(resumeAfter) >= 0);
  }

  /** Verifies that a resume inside a tick drops only that tick's earlier changes and then runs on unchanged. */
  @Test
  void resumesAfterAFrontierInsideATick() {
    // GIVEN an uninterrupted stream and a frontier 4 ms into its 21st tick (slots at +0 and +3 ms are before it)
    List<ChangeBatch> uninterrupted = stream(new PositionsGenerator("p", ODD), 30);
    BigInteger resumeAfter = uninterrupted.get(20).frontier().add(BigInteger.valueOf(4));

    // WHEN a fresh generator resumes there
    PositionsGenerator resumed = new PositionsGenerator("p", ODD);
    long next = resumed.tickAt(resumeAfter);
    ChangeBatch first = resumed.tickFrom(next, resumeAfter);

    // THEN the first batch closes the same frontier with only the changes at or after the resume frontier
    ChangeBatch whole = uninterrupted.get(21);
    assertThat(first.frontier()).isEqualTo(whole.frontier());
    assertThat(first.changes()).containsExactlyElementsOf(whole.changes().stream()
        .filter(change -> change.timestamp().compareTo(resumeAfter) >= 0).toList()).hasSize(1);
    // AND the ticks after it are the uninterrupted ones
    assertThat(resumed.tick(next + 1)).isEqualTo(uninterrupted.get(22));
  }

  /** Verifies that the rows at every frontier, on a tick boundary or inside a tick, equal the fold of the stream. */
  @Test
  void rowsAtEveryFrontierEqualTheFoldOfTheStream() {
    for (LoadgenOptions settings : List.of(SETTINGS, ODD)) {
      // GIVEN 300 batches (dozens of rounds, with deletes and re-inserts)
      PositionsGenerator generator = new PositionsGenerator("p", settings);
      List<ChangeBatch> batches = stream(generator, 300);

      // WHEN the rows are taken at each frontier and at every millisecond of a few ticks
      List<BigInteger> frontiers = new ArrayList<>(batches.stream().map(ChangeBatch::frontier).toList());
      for (int batch : new int[] {1, 57, 298}) {
        for (long ms = 1; ms < settings.getIntervalMs(); ms++) {
          frontiers.add(batches.get(batch).frontier().add(BigInteger.valueOf(ms)));
        }
      }
      for (BigInteger frontier : frontiers) {
        // THEN each equals the test's own fold of every change before that frontier, stamped F - 1
        assertThat(generator.rowsAt(frontier)).as("%s at %s", settings, frontier)
            .containsExactlyInAnyOrderElementsOf(foldBefore(batches, frontier));
      }
    }
  }

  /**
   * Verifies that the work for a tick or a snapshot does not grow with its age: one tick derives its own changes
   * only, and a snapshot one row per account, whether at the start or a hundred thousand ticks later.
   */
  @Test
  void costDoesNotGrowWithAge() {
    // GIVEN a fresh generator
    PositionsGenerator generator = new PositionsGenerator("p", SETTINGS);

    // WHEN a young tick and an old tick are derived
    long before = generator.derivedRows();
    generator.tick(3);
    long youngTick = generator.derivedRows() - before;
    before = generator.derivedRows();
    ChangeBatch oldTick = generator.tick(100_000);
    long oldTickCost = generator.derivedRows() - before;
    // THEN each derived exactly its 4 changes: nothing before it was replayed
    assertThat(youngTick).isEqualTo(4);
    assertThat(oldTickCost).isEqualTo(4);
    assertThat(oldTick).isEqualTo(new PositionsGenerator("p", SETTINGS).tick(100_000));

    // WHEN snapshots are taken near the start and 100,000 ticks in
    before = generator.derivedRows();
    generator.rowsAt(generator.tickFrontier(3));
    long youngSnapshot = generator.derivedRows() - before;
    before = generator.derivedRows();
    generator.rowsAt(generator.tickFrontier(100_000).add(BigInteger.valueOf(37)));
    long oldSnapshot = generator.derivedRows() - before;
    // THEN each derived one row per account
    assertThat(youngSnapshot).isEqualTo(10);
    assertThat(oldSnapshot).isEqualTo(10);
  }

  /** Verifies that a tick decades of logical time away is computed directly and stays inside its window. */
  @Test
  void computesATickDecadesAway() {
    // GIVEN a generator and a tick about 30 years of 100 ms ticks away
    PositionsGenerator generator = new PositionsGenerator("p", SETTINGS);
    long far = 10_000_000_000L;

    // WHEN it and the rows at its frontier are derived
    ChangeBatch tick = generator.tick(far);
    List<Change> rows = generator.rowsAt(tick.frontier());

    // THEN the changes lie in its window, and the rows hold each changed account as the tick left it
    BigInteger start = generator.tickFrontier(far - 1);
    assertThat(tick.changes()).hasSize(4).allSatisfy(change -> assertThat(change.timestamp())
        .isGreaterThanOrEqualTo(start).isLessThan(tick.frontier()));
    assertThat(generator.tickAt(start)).isEqualTo(far);
    for (Change change : tick.changes()) {
      List<Change> stored = rows.stream().filter(row -> row.key().equals(change.key())).toList();
      if (change.deleted()) {
        assertThat(stored).isEmpty();
      } else {
        assertThat(stored).singleElement().extracting(Change::row).isEqualTo(change.row());
      }
    }
  }

  /** Verifies that there are no rows before the snapshot frontier to ask for. */
  @Test
  void refusesRowsBeforeTheSnapshot() {
    PositionsGenerator generator = new PositionsGenerator("p", SETTINGS);
    assertThat(generator.rowsAt(PositionsGenerator.snapshotFrontier()))
        .containsExactlyElementsOf(generator.snapshot().changes());
    assertThatThrownBy(() -> generator.rowsAt(BigInteger.valueOf(PositionsGenerator.EPOCH_MS)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static LoadgenOptions options(int entities, long intervalMs, int changesPerTick, long seed) {
    return new LoadgenOptions().setEntities(entities).setIntervalMs(intervalMs).setChangesPerTick(changesPerTick)
        .setSeed(seed);
  }

  /** The snapshot, then ticks 0, 1, …: {@code count} batches in all. */
  static List<ChangeBatch> stream(PositionsGenerator generator, int count) {
    List<ChangeBatch> batches = new ArrayList<>();
    batches.add(generator.snapshot());
    for (long tick = 0; batches.size() < count; tick++) {
      batches.add(generator.tick(tick));
    }
    return batches;
  }

  /** Test oracle: one upsert stamped {@code F - 1} per key alive after every change at a time {@code < F}. */
  private static List<Change> foldBefore(List<ChangeBatch> batches, BigInteger frontier) {
    Map<List<Object>, Map<String, Object>> state = new LinkedHashMap<>();
    for (ChangeBatch batch : batches) {
      for (Change change : batch.changes()) {
        if (change.timestamp().compareTo(frontier) >= 0) {
          continue;
        }
        if (change.deleted()) {
          state.remove(change.key());
        } else {
          state.put(change.key(), change.row());
        }
      }
    }
    BigInteger at = frontier.subtract(BigInteger.ONE);
    List<Change> rows = new ArrayList<>();
    state.forEach((key, row) -> rows.add(Change.upsert(key, row, at)));
    return rows;
  }
}
