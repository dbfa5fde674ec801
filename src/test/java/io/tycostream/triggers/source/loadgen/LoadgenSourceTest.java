package io.tycostream.triggers.source.loadgen;

import io.tycostream.triggers.config.LoadgenConfig;
import io.tycostream.triggers.source.BatchConsumer;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ChangeFold;
import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.ResumePosition;
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

/** Verifies that the load generator source honours its consumer: resume position, acknowledgements, backpressure. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadgenSourceTest {

  private static final LoadgenConfig FAST = new LoadgenConfig(8, 10, 2, 3);

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
    reference.snapshot();
    BigInteger durable = null;
    for (int i = 0; i < 20; i++) {
      durable = reference.nextTick().frontier();
    }
    ChangeBatch expectedNext = reference.nextTick();
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
        assertThat(next.frontier()).isEqualTo(lastFrontier.add(BigInteger.valueOf(FAST.intervalMs())));
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

  /** Verifies that a running source answers a snapshot at an emitted frontier, and refuses one before its history. */
  @Test
  void answersSnapshotAtAnEmittedFrontierWhileRunning(Vertx vertx, VertxTestContext test) {
    // GIVEN a running source that resumed after the frontier of the 5th tick of its seed
    PositionsGenerator reference = new PositionsGenerator("positions", FAST);
    List<ChangeBatch> referenceBatches = new ArrayList<>();
    referenceBatches.add(reference.snapshot());
    for (int i = 0; i < 5; i++) {
      referenceBatches.add(reference.nextTick());
    }
    BigInteger durable = referenceBatches.get(5).frontier();
    RecordingConsumer consumer = new RecordingConsumer(ResumePosition.after(durable), true);
    LoadgenSource source = new LoadgenSource(vertx, "positions", FAST, consumer, null);
    source.start();

    consumer.onCount(6, () -> {
      // WHEN snapshots are taken at the 4th emitted frontier and at a frontier before the resume point
      List<ChangeBatch> emitted = new ArrayList<>(referenceBatches);
      emitted.addAll(consumer.batches);
      BigInteger atFourth = consumer.batches.get(3).frontier();
      BigInteger beforeResume = referenceBatches.get(4).frontier();
      source.snapshotAt(atFourth).onComplete(test.succeeding(snapshot -> test.verify(() -> {
        // THEN the first equals the fold of the stream up to it, with the generator's schema
        assertThat(snapshot.frontier()).isEqualTo(atFourth);
        assertThat(snapshot.schema()).isEqualTo(PositionsGenerator.SCHEMA);
        assertThat(snapshot.rows()).containsExactlyInAnyOrderElementsOf(ChangeFold.upTo(emitted, atFourth));
        source.snapshotAt(beforeResume).onComplete(test.failing(failure -> test.verify(() -> {
          // AND the second fails as HISTORY_LOST: the source never held it
          assertThat(failure).isInstanceOfSatisfying(SourceSnapshotException.class,
              e -> assertThat(e.kind()).isEqualTo(FailureKind.HISTORY_LOST));
          source.stop().onComplete(test.succeedingThenComplete());
        })));
      })));
    });
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
