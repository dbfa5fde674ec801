package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.RowDiff;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ChangeFold;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.ResumePosition;
import io.tycostream.triggers.source.SourceSnapshot;
import io.tycostream.triggers.source.SourceSnapshotException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.source.materialize.ReaderHarness.ITEMS_SCHEMA;
import static io.tycostream.triggers.source.materialize.ReaderHarness.T0;
import static io.tycostream.triggers.source.materialize.ReaderHarness.await;
import static io.tycostream.triggers.source.materialize.ReaderHarness.awaitCondition;
import static io.tycostream.triggers.source.materialize.ReaderHarness.item;
import static io.tycostream.triggers.source.materialize.ReaderHarness.upsert;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acceptance tests of {@link SubscribeReader#snapshotAt} against the Materialize wire emulator: a snapshot at a frontier
 * the consumer has committed, read on a second connection while the reader keeps streaming.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubscribeReaderSnapshotTest {

  private static final long T1 = T0 + 1_000;
  private static final long T2 = T0 + 2_000;
  /** The snapshot frontier F of the tests: the stream has a batch closed exactly at F. */
  private static final long F = T0 + 3_000;

  private ReaderHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  /**
   * GIVEN a reader streaming items 1–3 (written at T1), item 1 updated at T2, item 2 updated and item 3 deleted at
   * F-1, the consumer holding the batch closed at F, then item 1 updated again at exactly F and that batch stored too.
   */
  private void givenStreamPastTheFrontier(Vertx vertx) throws InterruptedException {
    // retention far beyond the test's times, so F-1 stays readable after the reader's hold has moved on
    harness = ReaderHarness.start(vertx, new EmulatorOptions().setRetentionMs(1_000_000));
    harness.emulator.write("items", T1, List.of(RowDiff.insert(item(1, "apple", "10")),
        RowDiff.insert(item(2, "pear", "5")), RowDiff.insert(item(3, "plum", "2"))));
    harness.startReader(harness.options());
    harness.awaitBatches(1);
    harness.emulator.updateAt("items", T2, item(1, "apple", "10"), item(1, "apple", "7"));
    harness.emulator.write("items", F - 1, List.of(RowDiff.retract(item(2, "pear", "5")),
        RowDiff.insert(item(2, "pear", "6")), RowDiff.retract(item(3, "plum", "2"))));
    harness.consumer.awaitBatches(b -> lastFrontier(b) >= F, Duration.ofSeconds(10));
    harness.emulator.updateAt("items", F, item(1, "apple", "7"), item(1, "apple", "8"));
    harness.consumer.awaitBatches(b -> lastFrontier(b) > F, Duration.ofSeconds(10));
  }

  /** Verifies that a snapshot at a committed frontier equals the consumer's state there, without a reconnect. */
  @Test
  void snapshotAtCommittedFrontierEqualsTheConsumersStateThere(Vertx vertx) throws Exception {
    // GIVEN a reader that has streamed past F on one connection
    givenStreamPastTheFrontier(vertx);
    List<Integer> streamingConnection = harness.emulator.connectionIds();
    assertThat(streamingConnection).hasSize(1);
    assertThat(harness.consumer.batches()).extracting(ChangeBatch::frontier).contains(BigInteger.valueOf(F));

    // WHEN a snapshot is taken at F
    SourceSnapshot snapshot = await(harness.reader.snapshotAt(BigInteger.valueOf(F)));

    // THEN it is the fold of every stored batch up to F, each row stamped F-1
    assertThat(snapshot.source()).isEqualTo("items-source");
    assertThat(snapshot.frontier()).isEqualTo(BigInteger.valueOf(F));
    assertThat(snapshot.schema()).isEqualTo(ITEMS_SCHEMA);
    assertThat(snapshot.rows()).containsExactlyInAnyOrderElementsOf(
        ChangeFold.upTo(harness.consumer.batches(), BigInteger.valueOf(F)));
    // AND concretely: the changes at F-1 are in, the update at exactly F is not, the deleted item is gone
    assertThat(snapshot.rows()).containsExactlyInAnyOrder(
        upsert(1, "apple", "7", F - 1),
        upsert(2, "pear", "6", F - 1));
    // AND the snapshot connection is closed while the streaming one was never replaced
    awaitCondition("only the streaming connection is left",
        () -> harness.emulator.connectionIds().equals(streamingConnection));
    assertThat(harness.consumer.positionsServed()).containsExactly(ResumePosition.snapshot());
    assertThat(harness.emulator.activeSubscribes()).isEqualTo(1);
    // AND the stream goes on: the next write still arrives on the same connection
    harness.emulator.insertAt("items", F + 100, item(4, "fig", "1"));
    harness.consumer.awaitBatches(b -> lastFrontier(b) == F + 101, Duration.ofSeconds(10));
    assertThat(harness.emulator.connectionIds()).isEqualTo(streamingConnection);
  }

  /** Verifies that a snapshot at a frontier whose history is compacted fails as HISTORY_LOST and closes its session. */
  @Test
  void snapshotAtCompactedFrontierFailsAsHistoryLost(Vertx vertx) throws Exception {
    // GIVEN a reader that has streamed past F, and history compacted beyond F-1
    givenStreamPastTheFrontier(vertx);
    List<Integer> streamingConnection = harness.emulator.connectionIds();
    harness.emulator.compact("items", F);

    // WHEN a snapshot is taken at F
    SourceSnapshotException failure = failureOf(harness.reader.snapshotAt(BigInteger.valueOf(F)));

    // THEN it fails as HISTORY_LOST, naming the source and the frontier
    assertThat(failure.kind()).isEqualTo(FailureKind.HISTORY_LOST);
    assertThat(failure.source()).isEqualTo("items-source");
    assertThat(failure.getMessage()).contains(String.valueOf(F)).contains("items");
    // AND only the streaming connection is left, and it was never replaced
    awaitCondition("only the streaming connection is left",
        () -> harness.emulator.connectionIds().equals(streamingConnection));
    assertThat(harness.consumer.positionsServed()).containsExactly(ResumePosition.snapshot());
    // AND a snapshot at the newest committed frontier still works
    SourceSnapshot newer = await(harness.reader.snapshotAt(BigInteger.valueOf(F + 1)));
    assertThat(newer.rows()).containsExactlyInAnyOrder(
        upsert(1, "apple", "8", F),
        upsert(2, "pear", "6", F));
  }

  /** Verifies that a snapshot holding two rows for one key fails as KEY_VIOLATION instead of picking one. */
  @Test
  void snapshotWithDuplicateKeyFailsAsKeyViolation(Vertx vertx) throws Exception {
    // GIVEN a view holding two rows with key 9 since T2
    harness = ReaderHarness.start(vertx, new EmulatorOptions().setRetentionMs(1_000_000));
    harness.emulator.write("items", T1, List.of(RowDiff.insert(item(1, "apple", "10"))));
    harness.emulator.write("items", T2, List.of(RowDiff.insert(item(9, "a", "1")), RowDiff.insert(item(9, "b", "2"))));

    // WHEN a snapshot is taken after T2 (no reader running: the snapshot needs none)
    harness.reader = new SubscribeReader(vertx, harness.options(), harness.consumer, null);
    SourceSnapshotException failure = failureOf(harness.reader.snapshotAt(BigInteger.valueOf(T2 + 1)));

    // THEN it fails as KEY_VIOLATION naming the key, and its connection is closed
    assertThat(failure.kind()).isEqualTo(FailureKind.KEY_VIOLATION);
    assertThat(failure.getMessage()).contains("[9]");
    awaitCondition("no connection is left", () -> harness.emulator.connectionIds().isEmpty());
  }

  /** Verifies that a snapshot the server never finishes fails after the snapshot timeout and closes its session. */
  @Test
  void snapshotThatNeverCompletesTimesOutAndClosesItsConnection(Vertx vertx) throws Exception {
    // GIVEN a table whose frontier is far below the requested one, and a short snapshot timeout
    harness = ReaderHarness.start(vertx, new EmulatorOptions().setRetentionMs(1_000_000));
    harness.emulator.write("items", T1, List.of(RowDiff.insert(item(1, "apple", "10"))));
    SubscribeOptions options = harness.options().setSnapshotTimeout(Duration.ofMillis(300));
    harness.reader = new SubscribeReader(vertx, options, harness.consumer, null);

    // WHEN a snapshot is taken at a frontier the table has not reached
    long started = System.nanoTime();
    SourceSnapshotException failure = failureOf(harness.reader.snapshotAt(BigInteger.valueOf(T1 + 50_000)));

    // THEN it fails as TRANSIENT after about the timeout, and its connection is closed
    assertThat(failure.kind()).isEqualTo(FailureKind.TRANSIENT);
    assertThat(failure.getMessage()).contains("300 ms");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
    awaitCondition("no connection is left", () -> harness.emulator.connectionIds().isEmpty());
  }

  /** Verifies that stopping the reader abandons a snapshot in progress and closes its connection at once. */
  @Test
  void stopAbandonsASnapshotInProgress(Vertx vertx) throws Exception {
    // GIVEN a running reader, and a snapshot waiting for a frontier the table has not reached (60 s timeout)
    harness = ReaderHarness.start(vertx, new EmulatorOptions().setRetentionMs(1_000_000));
    harness.emulator.write("items", T1, List.of(RowDiff.insert(item(1, "apple", "10"))));
    harness.startReader(harness.options().setSnapshotTimeout(Duration.ofSeconds(60)));
    harness.awaitBatches(1);
    Future<SourceSnapshot> snapshot = harness.reader.snapshotAt(BigInteger.valueOf(T1 + 50_000));
    awaitCondition("the snapshot connection is open", () -> harness.emulator.connectionIds().size() == 2);

    // WHEN the reader stops
    long started = System.nanoTime();
    harness.reader.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    // THEN the snapshot fails well before its timeout and no connection is left
    assertThat(failureOf(snapshot).getMessage()).contains("stopping");
    awaitCondition("no connection is left", () -> harness.emulator.connectionIds().isEmpty());
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(10_000);
  }

  private static long lastFrontier(List<ChangeBatch> batches) {
    return batches.isEmpty() ? 0 : batches.get(batches.size() - 1).frontier().longValueExact();
  }

  private static SourceSnapshotException failureOf(Future<?> future) throws InterruptedException {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(SourceSnapshotException.class);
      return (SourceSnapshotException) e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the snapshot neither completed nor failed", e);
    }
    throw new AssertionError("the snapshot succeeded, a failure was expected");
  }
}
