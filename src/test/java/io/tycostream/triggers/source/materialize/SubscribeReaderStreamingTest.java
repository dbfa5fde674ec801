package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.RowDiff;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.ResumePosition;
import io.tycostream.triggers.source.SourceState;
import io.tycostream.triggers.source.SourceStatus;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.tycostream.triggers.source.materialize.ReaderHarness.T0;
import static io.tycostream.triggers.source.materialize.ReaderHarness.await;
import static io.tycostream.triggers.source.materialize.ReaderHarness.awaitCondition;
import static io.tycostream.triggers.source.materialize.ReaderHarness.batch;
import static io.tycostream.triggers.source.materialize.ReaderHarness.delete;
import static io.tycostream.triggers.source.materialize.ReaderHarness.item;
import static io.tycostream.triggers.source.materialize.ReaderHarness.upsert;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acceptance tests of {@link SubscribeReader} against the Materialize wire emulator: what the consumer receives while
 * the stream is healthy.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubscribeReaderStreamingTest {

  private static final long T1 = T0 + 1_000;
  private static final long T2 = T0 + 2_000;
  private static final long T3 = T0 + 3_000;

  private ReaderHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  private void givenSnapshotOfTwoItems(Vertx vertx) {
    harness = ReaderHarness.start(vertx, new EmulatorOptions());
    harness.emulator.write("items", T1, List.of(RowDiff.insert(item(1, "apple", "10")),
        RowDiff.insert(item(2, "pear", "5"))));
  }

  /** Verifies that a snapshot, an update and a delete arrive as exact batches, each closed by its progress row. */
  @Test
  void deliversSnapshotUpdateAndDeleteAsExactBatches(Vertx vertx) throws Exception {
    // GIVEN two items written before the reader starts
    givenSnapshotOfTwoItems(vertx);
    // WHEN the reader starts and, once the snapshot is stored, item 1 is updated and item 2 deleted
    harness.startReader(harness.options());
    harness.awaitBatches(1);
    harness.emulator.updateAt("items", T2, item(1, "apple", "10"), item(1, "apple", "7"));
    harness.emulator.deleteAt("items", T3, item(2, "pear", "5"));
    List<ChangeBatch> batches = harness.awaitBatches(3);
    // THEN the consumer saw the snapshot batch, then one batch per write, with the exact frontiers
    assertThat(batches).containsExactly(
        batch(T1 + 1, true, upsert(1, "apple", "10", T1), upsert(2, "pear", "5", T1)),
        batch(T2 + 1, false, upsert(1, "apple", "7", T2)),
        batch(T3 + 1, false, delete(2, T3)));
    // AND the reader subscribed once from a snapshot and reports itself connected at the last frontier
    assertThat(harness.consumer.positionsServed()).containsExactly(ResumePosition.snapshot());
    assertThat(harness.reader.status().state()).isEqualTo(SourceState.CONNECTED);
    assertThat(harness.reader.status().lastFrontier()).isEqualTo(BigInteger.valueOf(T3 + 1));
    assertThat(harness.statuses).extracting(SourceStatus::state)
        .containsExactly(SourceState.STARTING, SourceState.CONNECTED);
  }

  /** Verifies that one progress row closing several timestamps yields one batch with the changes in time order. */
  @Test
  void groupsSeveralTimestampsClosedByOneProgressRow(Vertx vertx) throws Exception {
    // GIVEN a running reader that has stored the snapshot
    givenSnapshotOfTwoItems(vertx);
    harness.startReader(harness.options());
    harness.awaitBatches(1);
    // WHEN progress stalls while item 1 changes twice and item 3 is added, then progress resumes
    harness.emulator.pauseProgress("items");
    harness.emulator.updateAt("items", T2, item(1, "apple", "10"), item(1, "apple", "7"));
    harness.emulator.updateAt("items", T2 + 100, item(1, "apple", "7"), item(1, "green apple", "7"));
    harness.emulator.insertAt("items", T2 + 200, item(3, "kiwi", "1"));
    harness.emulator.resumeProgress("items");
    List<ChangeBatch> batches = harness.awaitBatches(2);
    // THEN the three changes arrive in one batch, in timestamp order, key 1 twice
    assertThat(batches.get(1)).isEqualTo(batch(T2 + 201, false,
        upsert(1, "apple", "7", T2), upsert(1, "green apple", "7", T2 + 100), upsert(3, "kiwi", "1", T2 + 200)));
    assertThat(batches).hasSize(2);
  }

  /**
   * Verifies that under a sustained high rate of writes (5,000 a second, each at its own timestamp) the reader
   * coalesces its FETCHes — a few milliseconds each, instead of about one round trip per timestamp — and still hands
   * over every change, one batch per timestamp, in order.
   */
  @Test
  void coalescesFetchesUnderLoadWithoutLosingChanges(Vertx vertx) throws Exception {
    // GIVEN a running reader that has stored the (empty) snapshot
    harness = ReaderHarness.start(vertx, new EmulatorOptions());
    harness.startReader(harness.options());
    harness.awaitBatches(1);
    long fetchesBefore = harness.emulator.dataFetches();

    // WHEN 4,000 items are inserted at 5 per millisecond, each at its own timestamp
    int writes = 4_000;
    long started = System.nanoTime();
    for (int id = 0; id < writes; id++) {
      while (System.nanoTime() - started < id * 200_000L) {
        Thread.onSpinWait();
      }
      harness.emulator.insertAt("items", T0 + 10 + id, item(id, "item", "1"));
    }
    List<ChangeBatch> batches = harness.consumer.awaitBatches(b -> b.size() >= writes + 1, Duration.ofSeconds(30));

    // THEN every change arrived, one batch per timestamp, in order
    assertThat(batches.subList(1, writes + 1)).extracting(batch -> batch.changes().get(0).key().get(0))
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, writes).mapToObj(id -> (Object) (long) id)
            .toList());
    // AND far fewer FETCHes than timestamps were needed
    long fetches = harness.emulator.dataFetches() - fetchesBefore;
    assertThat(fetches).as("data FETCHes for %d timestamps", writes).isLessThan(writes / 20);
  }

  /** Verifies that a snapshot larger than one FETCH still arrives as one snapshot batch. */
  @Test
  void deliversSnapshotSpanningSeveralFetchesAsOneBatch(Vertx vertx) throws Exception {
    // GIVEN 2,500 items and a fetch size of 1,000 rows
    harness = ReaderHarness.start(vertx, new EmulatorOptions());
    List<RowDiff> rows = IntStream.rangeClosed(1, 2_500)
        .mapToObj(id -> RowDiff.insert(item(id, "item-" + id, String.valueOf(id)))).toList();
    harness.emulator.write("items", T1, rows);
    // WHEN the reader starts
    harness.startReader(harness.options().setFetchSize(1_000));
    List<ChangeBatch> batches = harness.awaitBatches(1);
    // THEN one snapshot batch holds every item exactly once, at the snapshot time
    assertThat(batches).hasSize(1);
    ChangeBatch snapshot = batches.get(0);
    assertThat(snapshot.snapshot()).isTrue();
    assertThat(snapshot.frontier()).isEqualTo(BigInteger.valueOf(T1 + 1));
    List<Change> expected = new ArrayList<>();
    for (int id = 1; id <= 2_500; id++) {
      expected.add(upsert(id, "item-" + id, String.valueOf(id), T1));
    }
    assertThat(snapshot.changes()).containsExactlyInAnyOrderElementsOf(expected);
  }

  /** Verifies that a key_violation row is reported as an error, not delivered as data, and streaming continues. */
  @Test
  void reportsKeyViolationAsErrorNotData(Vertx vertx) throws Exception {
    // GIVEN a running reader that has stored the snapshot
    givenSnapshotOfTwoItems(vertx);
    harness.startReader(harness.options());
    harness.awaitBatches(1);
    List<Integer> connections = harness.emulator.connectionIds();
    // WHEN two rows with key 9 appear at one time, and later item 1 changes
    harness.emulator.write("items", T2, List.of(RowDiff.insert(item(9, "a", "1")), RowDiff.insert(item(9, "b", "2"))));
    harness.emulator.updateAt("items", T3, item(1, "apple", "10"), item(1, "apple", "8"));
    List<ChangeBatch> batches = harness.awaitBatches(3);
    // THEN the violation's batch carries no change, and later changes still stream on the same connection
    assertThat(batches.subList(1, 3)).containsExactly(
        batch(T2 + 1, false),
        batch(T3 + 1, false, upsert(1, "apple", "8", T3)));
    assertThat(harness.emulator.connectionIds()).isEqualTo(connections);
    // AND the listener was told of a KEY_VIOLATION naming the key and the time, while staying connected
    List<SourceStatus> violations = harness.statuses.stream()
        .filter(s -> s.lastFailure() != null && s.lastFailure().kind() == FailureKind.KEY_VIOLATION)
        .collect(Collectors.toList());
    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).state()).isEqualTo(SourceState.CONNECTED);
    assertThat(violations.get(0).lastFailure().message()).contains("[9]").contains(String.valueOf(T2));
    assertThat(harness.reader.status().lastFailure().kind()).isEqualTo(FailureKind.KEY_VIOLATION);
  }

  /** Verifies that stop closes the session on the server, reports STOPPED, and may be called twice. */
  @Test
  void stopClosesTheSessionAndIsIdempotent(Vertx vertx) throws Exception {
    // GIVEN a running reader
    givenSnapshotOfTwoItems(vertx);
    harness.startReader(harness.options());
    harness.awaitBatches(1);
    assertThat(harness.emulator.activeSubscribes()).isEqualTo(1);
    // WHEN it is stopped twice
    await(harness.reader.stop());
    await(harness.reader.stop());
    // THEN the subscribe and the connection are gone and the status says STOPPED
    awaitCondition("the server has no connection left", () -> harness.emulator.connectionIds().isEmpty());
    assertThat(harness.emulator.activeSubscribes()).isZero();
    assertThat(harness.reader.status().state()).isEqualTo(SourceState.STOPPED);
    // AND no batch arrives any more
    harness.emulator.updateAt("items", T2, item(1, "apple", "10"), item(1, "apple", "7"));
    Thread.sleep(300);
    assertThat(harness.consumer.batches()).hasSize(1);
  }

  /**
   * Verifies that stopping a reader whose FETCH is waiting on a quiet stream cancels that FETCH, so the stop takes
   * milliseconds rather than the close timeout, ends the subscribe on the server, and logs no WARN or ERROR (the
   * 57014 of its own cancel is expected). Without the cancel request the stop waits out the 5 s close timeout.
   */
  @Test
  void stopCancelsAWaitingFetchPromptlyAndQuietly(Vertx vertx) throws Exception {
    // GIVEN a running reader with a 5 s close timeout whose FETCH waits on a quiet stream
    givenSnapshotOfTwoItems(vertx);
    harness.startReader(harness.options().setCloseTimeout(Duration.ofSeconds(5)));
    harness.awaitBatches(1);
    Thread.sleep(200);
    // WHEN it stops
    long stopMs;
    List<String> warnings;
    try (CapturedLogs logs = CapturedLogs.start()) {
      long started = System.nanoTime();
      await(harness.reader.stop());
      stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      awaitCondition("the server has no connection left", () -> harness.emulator.connectionIds().isEmpty());
      Thread.sleep(200);
      warnings = logs.warningsAndErrors();
    }
    // THEN it stopped well under a second, the subscribe is gone, and nothing was logged as a problem
    assertThat(stopMs).as("stop took %d ms", stopMs).isLessThan(500);
    assertThat(harness.emulator.activeSubscribes()).isZero();
    assertThat(harness.reader.status().state()).isEqualTo(SourceState.STOPPED);
    assertThat(harness.reader.status().lastFailure()).isNull();
    assertThat(warnings).isEmpty();
  }
}
