package io.tycostream.triggers.source.loadgen;

import io.tycostream.triggers.source.BatchConsumer;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ChangeFold;
import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.ResumePosition;
import io.tycostream.triggers.source.SourceSnapshot;
import io.tycostream.triggers.source.SourceSnapshotException;
import io.tycostream.triggers.source.SourceState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies that the load generator source honours its consumer (resume position, acknowledgements, backpressure)
 * and answers snapshots at any frontier it reached.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadgenSourceTest {

  private static final LoadgenOptions FAST = PositionsGeneratorTest.options(8, 10, 2, 3);

  /** Verifies that a fresh consumer gets the snapshot first, then ticks with increasing frontiers. */
  @Test
  void startsWithSnapshotForAFreshConsumer(Vertx vertx, VertxTestContext test) {
    // GIVEN a consumer with no checkpoint that acknowledges at once
    RecordingConsumer consumer = new RecordingConsumer(ResumePosition.snapshot(), true);
    LoadgenSource source = new LoadgenSource(vertx, "positions", FAST, consumer, null);

    // WHEN the source runs until five batches arrived
    source.start();
    consumer.onCount(5, () -> test.verify(() -> {
      // THEN the first is the snapshot of every account and the frontiers increase
      List<ChangeBatch> batches = List.copyOf(consumer.batches);
      assertThat(batches.get(0).snapshot()).isTrue();
      assertThat(batches.get(0).changes()).hasSize(8);
      assertThat(batches.subList(1, batches.size())).noneMatch(ChangeBatch::snapshot);
      for (int i = 1; i < batches.size(); i++) {
        assertThat(batches.get(i).frontier()).isGreaterThan(batches.get(i - 1).frontier());
      }
      assertThat(source.status().state()).isEqualTo(SourceState.CONNECTED);
      source.stop().onComplete(test.succeedingThenComplete());
    }));
  }

  /** Verifies that a consumer that made frontier F durable receives no snapshot and only changes at times >= F. */
  @Test
  void resumesAfterTheConsumersFrontier(Vertx vertx, VertxTestContext test) {
    // GIVEN the frontier of the 20th batch of the same seed
    PositionsGenerator reference = new PositionsGenerator("positions", FAST);
    BigInteger durable = reference.tickFrontier(19);
    ChangeBatch expectedNext = reference.tick(20);
    RecordingConsumer consumer = new RecordingConsumer(ResumePosition.after(durable), true);
    LoadgenSource source = new LoadgenSource(vertx, "positions", FAST, consumer, null);

    // WHEN the source starts
    source.start();
    BigInteger resumeAfter = durable;
    consumer.onCount(2, () -> test.verify(() -> {
      // THEN the first batch is the tick right after F, not a snapshot
      ChangeBatch first = consumer.batches.get(0);
      assertThat(first.snapshot()).isFalse();
      assertThat(first).isEqualTo(expectedNext);
      assertThat(first.changes()).allMatch(change -> change.timestamp().compareTo(resumeAfter) >= 0);
      source.stop().onComplete(test.succeedingThenComplete());
    }));
  }

  /** Verifies that a consumer that never completes receives at most the pending bound, then ticks are skipped. */
  @Test
  void stopsHandingOutWhileTheConsumerIsBehind(Vertx vertx, VertxTestContext test) {
    // GIVEN a consumer that never acknowledges
    RecordingConsumer consumer = new RecordingConsumer(ResumePosition.snapshot(), false);
    LoadgenSource source = new LoadgenSource(vertx, "positions", FAST, consumer, null);

    // WHEN the source runs for 30 tick intervals
    source.start();
    vertx.setTimer(300, id -> test.verify(() -> {
      // THEN only MAX_PENDING_ACCEPTS batches were handed out
      assertThat(consumer.batches).hasSize(LoadgenSource.MAX_PENDING_ACCEPTS);
      // AND acknowledging one lets exactly the next tick through, continuing the clock without a gap
      BigInteger lastFrontier = consumer.batches.get(LoadgenSource.MAX_PENDING_ACCEPTS - 1).frontier();
      consumer.pending.get(0).complete();
      vertx.setTimer(100, again -> test.verify(() -> {
        assertThat(consumer.batches).hasSize(LoadgenSource.MAX_PENDING_ACCEPTS + 1);
        ChangeBatch next = consumer.batches.get(LoadgenSource.MAX_PENDING_ACCEPTS);
        assertThat(next.frontier()).isEqualTo(lastFrontier.add(BigInteger.valueOf(FAST.getIntervalMs())));
        source.stop().onComplete(test.succeedingThenComplete());
      }));
    }));
  }

  /** Verifies that a failed hand-off makes the source resume from the consumer's position. */
  @Test
  void resumesFromConsumerPositionAfterAFailedHandOff(Vertx vertx, VertxTestContext test) {
    // GIVEN a consumer that fails the third batch once
    RecordingConsumer consumer = new RecordingConsumer(ResumePosition.snapshot(), true);
    consumer.failAt = 3;
    LoadgenSource source = new LoadgenSource(vertx, "positions", FAST, consumer, null);

    // WHEN the source runs until after the retry
    source.start();
    consumer.onCount(6, () -> test.verify(() -> {
      // THEN the source asked again and re-sent the failed batch (same frontier) after a RETRYING phase
      List<ChangeBatch> batches = List.copyOf(consumer.batches);
      assertThat(consumer.resumeRequests).isGreaterThanOrEqualTo(2);
      assertThat(batches.get(3).frontier()).isEqualTo(batches.get(2).frontier());
      assertThat(batches.get(3)).isEqualTo(batches.get(2));
      assertThat(source.status().lastFailure()).isNotNull();
      source.stop().onComplete(test.succeedingThenComplete());
    }));
  }

  /**
   * Verifies that a running source answers a snapshot at any frontier up to the newest it reached, even one before
   * its own resume point, and refuses only frontiers before the stream or not reached yet.
   */
  @Test
  void answersSnapshotAtAnyReachedFrontierWhileRunning(Vertx vertx, VertxTestContext test) {
    // GIVEN a running source that resumed after the frontier of the 5th tick of its seed
    PositionsGenerator reference = new PositionsGenerator("positions", FAST);
    List<ChangeBatch> referenceBatches = PositionsGeneratorTest.stream(reference, 6);
    BigInteger durable = referenceBatches.get(5).frontier();
    RecordingConsumer consumer = new RecordingConsumer(ResumePosition.after(durable), true);
    LoadgenSource source = new LoadgenSource(vertx, "positions", FAST, consumer, null);
    source.start();

    consumer.onCount(6, () -> {
      // WHEN snapshots are taken at the 4th emitted frontier and at a frontier before the resume point
      List<ChangeBatch> emitted = new ArrayList<>(referenceBatches);
      emitted.addAll(consumer.batches);
      BigInteger atFourth = consumer.batches.get(3).frontier();
      BigInteger beforeResume = referenceBatches.get(2).frontier();
      source.snapshotAt(atFourth).onComplete(test.succeeding(snapshot -> test.verify(() -> {
        // THEN the first equals the fold of the stream up to it, with the generator's schema
        assertThat(snapshot.frontier()).isEqualTo(atFourth);
        assertThat(snapshot.schema()).isEqualTo(PositionsGenerator.SCHEMA);
        assertThat(snapshot.rows()).containsExactlyInAnyOrderElementsOf(ChangeFold.upTo(emitted, atFourth));
        source.snapshotAt(beforeResume).onComplete(test.succeeding(old -> test.verify(() -> {
          // AND the second equals the fold of the stream the consumer had before this source started
          assertThat(old.rows()).containsExactlyInAnyOrderElementsOf(ChangeFold.upTo(referenceBatches,
              beforeResume));
          // AND a frontier before the stream is lost history, one far ahead is not reached yet
          assertSnapshotFailure(source.snapshotAt(BigInteger.valueOf(PositionsGenerator.EPOCH_MS)),
              FailureKind.HISTORY_LOST);
          assertSnapshotFailure(source.snapshotAt(reference.tickFrontier(1_000_000)), FailureKind.TRANSIENT);
          source.stop().onComplete(test.succeedingThenComplete());
        })));
      })));
    });
  }

  /**
   * Verifies that after hundreds of batches (beyond any retention window) a snapshot at an early frontier equals
   * the state the consumer accumulated there.
   */
  @Test
  void snapshotAtAnOldFrontierEqualsWhatTheConsumerAccumulated(Vertx vertx, VertxTestContext test) {
    // GIVEN a consumer that received the snapshot and 299 ticks of 1 ms
    LoadgenOptions everyMillisecond = PositionsGeneratorTest.options(8, 1, 2, 3);
    RecordingConsumer consumer = new RecordingConsumer(ResumePosition.snapshot(), true);
    LoadgenSource source = new LoadgenSource(vertx, "positions", everyMillisecond, consumer, null);
    source.start();

    consumer.onCount(300, () -> {
      // WHEN snapshots are taken at the frontiers of its 3rd and 150th batch
      List<ChangeBatch> accumulated = List.copyOf(consumer.batches);
      BigInteger third = accumulated.get(2).frontier();
      BigInteger middle = accumulated.get(149).frontier();
      source.snapshotAt(third).compose(early -> source.snapshotAt(middle).map(later -> List.of(early, later)))
          .onComplete(test.succeeding(snapshots -> test.verify(() -> {
            // THEN each equals the consumer's fold of the batches up to it
            assertThat(snapshots.get(0).rows()).containsExactlyInAnyOrderElementsOf(ChangeFold.upTo(accumulated,
                third));
            assertThat(snapshots.get(1).rows()).containsExactlyInAnyOrderElementsOf(ChangeFold.upTo(accumulated,
                middle));
            source.stop().onComplete(test.succeedingThenComplete());
          })));
    });
  }

  /**
   * Verifies that a fresh snapshot is taken at the newest frontier the stream reached, or at notBefore when that is
   * newer, each equal to the stream's state there.
   */
  @Test
  void snapshotAtLeastAnswersAtTheNewestReachedOrRequestedFrontier(Vertx vertx, VertxTestContext test) {
    // GIVEN a source stalled by a consumer that acknowledges nothing: it emitted the snapshot and three ticks
    RecordingConsumer consumer = new RecordingConsumer(ResumePosition.snapshot(), false);
    LoadgenSource source = new LoadgenSource(vertx, "positions", FAST, consumer, null);
    List<ChangeBatch> reference = PositionsGeneratorTest.stream(new PositionsGenerator("positions", FAST), 51);
    source.start();

    consumer.onCount(LoadgenSource.MAX_PENDING_ACCEPTS, () -> {
      BigInteger newest = consumer.batches.get(LoadgenSource.MAX_PENDING_ACCEPTS - 1).frontier();
      BigInteger older = consumer.batches.get(1).frontier();
      BigInteger newer = reference.get(50).frontier();
      // WHEN fresh snapshots are asked for with no bound, an older bound and a newer bound
      source.snapshotAtLeast(null)
          .compose(latest -> source.snapshotAtLeast(older).map(atOlder -> List.of(latest, atOlder)))
          .compose(two -> source.snapshotAtLeast(newer).map(atNewer -> List.of(two.get(0), two.get(1), atNewer)))
          .onComplete(test.succeeding(snapshots -> test.verify(() -> {
            // THEN the first two are at the newest emitted frontier and the third at the requested one
            assertThat(snapshots).extracting(SourceSnapshot::frontier).containsExactly(newest, newest, newer);
            // AND each holds the stream's state there
            assertThat(snapshots.get(0).rows()).containsExactlyInAnyOrderElementsOf(ChangeFold.upTo(reference,
                newest));
            assertThat(snapshots.get(2).rows()).containsExactlyInAnyOrderElementsOf(ChangeFold.upTo(reference,
                newer));
            source.stop().onComplete(test.succeedingThenComplete());
          })));
    });
  }

  /** Verifies that before anything was emitted a fresh snapshot needs a bound, and is exact at that bound. */
  @Test
  void snapshotAtLeastBeforeTheFirstBatch(Vertx vertx, VertxTestContext test) {
    // GIVEN a source that has not started
    LoadgenSource source = new LoadgenSource(vertx, "positions", FAST, new RecordingConsumer(
        ResumePosition.snapshot(), true), null);
    PositionsGenerator reference = new PositionsGenerator("positions", FAST);
    BigInteger bound = reference.tickFrontier(9);

    // WHEN / THEN with no bound it fails as TRANSIENT, with a bound it holds the stream's state at the bound
    assertSnapshotFailure(source.snapshotAtLeast(null), FailureKind.TRANSIENT);
    source.snapshotAtLeast(bound).onComplete(test.succeeding(snapshot -> test.verify(() -> {
      assertThat(snapshot.frontier()).isEqualTo(bound);
      assertThat(snapshot.rows()).containsExactlyInAnyOrderElementsOf(ChangeFold.upTo(
          PositionsGeneratorTest.stream(reference, 11), bound));
      test.completeNow();
    })));
  }

  /** Verifies that two sources resumed at the same position (inside a tick) emit the same batches. */
  @Test
  void sameResumePositionYieldsSameBatches(Vertx vertx, VertxTestContext test) {
    // GIVEN two sources whose consumers resume 3 ms into the 1,000th tick of the same seed
    PositionsGenerator reference = new PositionsGenerator("positions", FAST);
    BigInteger resumeAfter = reference.tickFrontier(998).add(BigInteger.valueOf(3));
    RecordingConsumer first = new RecordingConsumer(ResumePosition.after(resumeAfter), true);
    RecordingConsumer second = new RecordingConsumer(ResumePosition.after(resumeAfter), true);
    LoadgenSource one = new LoadgenSource(vertx, "positions", FAST, first, null);
    LoadgenSource other = new LoadgenSource(vertx, "positions", FAST, second, null);

    // WHEN both run for three batches
    first.onCount(3, () -> {
      second.onCount(3, () -> test.verify(() -> {
        // THEN they emitted the same batches: the rest of tick 999 from the resume frontier, then ticks 1000, 1001
        List<ChangeBatch> expected = List.of(reference.tickFrom(999, resumeAfter), reference.tick(1000),
            reference.tick(1001));
        assertThat(first.batches.subList(0, 3)).isEqualTo(expected);
        assertThat(second.batches.subList(0, 3)).isEqualTo(expected);
        assertThat(expected.get(0).changes()).allMatch(change -> change.timestamp().compareTo(resumeAfter) >= 0);
        Future.all(one.stop(), other.stop()).onComplete(test.succeedingThenComplete());
      }));
      other.start();
    });
    one.start();
  }

  private static void assertSnapshotFailure(Future<SourceSnapshot> snapshot, FailureKind kind) {
    assertThat(snapshot.failed()).as("snapshot failed").isTrue();
    assertThat(snapshot.cause()).isInstanceOfSatisfying(SourceSnapshotException.class,
        e -> assertThat(e.kind()).isEqualTo(kind));
  }

  /** A consumer that records batches, tracks its own last frontier and can hold or fail acknowledgements. */
  private static final class RecordingConsumer implements BatchConsumer {
    final List<ChangeBatch> batches = new CopyOnWriteArrayList<>();
    final List<Promise<Void>> pending = new CopyOnWriteArrayList<>();
    private final boolean acknowledge;
    private ResumePosition position;
    private int countTarget = Integer.MAX_VALUE;
    private Runnable onCount;
    int failAt = -1;
    int resumeRequests;

    RecordingConsumer(ResumePosition initial, boolean acknowledge) {
      this.position = initial;
      this.acknowledge = acknowledge;
    }

    void onCount(int count, Runnable action) {
      countTarget = count;
      onCount = action;
    }

    @Override
    public Future<Void> accept(ChangeBatch batch) {
      batches.add(batch);
      int index = batches.size() - 1;
      if (batches.size() == countTarget) {
        onCount.run();
      }
      if (index == failAt - 1) {
        failAt = -1;
        return Future.failedFuture("evaluator unavailable");
      }
      if (!acknowledge) {
        Promise<Void> promise = Promise.promise();
        pending.add(promise);
        return promise.future();
      }
      position = ResumePosition.after(batch.frontier());
      return Future.succeededFuture();
    }

    @Override
    public Future<ResumePosition> resumePosition() {
      resumeRequests++;
      return Future.succeededFuture(position);
    }
  }
}
