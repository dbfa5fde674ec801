package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.ErrorProfile;
import io.tycostream.triggers.emulator.RowDiff;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.ResumePosition;
import io.tycostream.triggers.source.SourceFailure;
import io.tycostream.triggers.source.SourceState;
import io.tycostream.triggers.source.SourceStatus;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.tycostream.triggers.source.materialize.ReaderHarness.T0;
import static io.tycostream.triggers.source.materialize.ReaderHarness.awaitCondition;
import static io.tycostream.triggers.source.materialize.ReaderHarness.batch;
import static io.tycostream.triggers.source.materialize.ReaderHarness.delete;
import static io.tycostream.triggers.source.materialize.ReaderHarness.item;
import static io.tycostream.triggers.source.materialize.ReaderHarness.upsert;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acceptance tests of {@link SubscribeReader} against the Materialize wire emulator: lost connections, lost history,
 * dropped views, refused batches and slow consumers.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubscribeReaderRecoveryTest {

  private static final long T1 = T0 + 1_000;
  private static final long T2 = T0 + 2_000;
  private static final long T3 = T0 + 3_000;
  private static final long LONG_RETENTION_MS = 1_000_000;
  private static final int REFUSALS = 5;
  private static final Duration INITIAL_BACKOFF = Duration.ofMillis(400);
  private static final Duration CONSUMER_RETRY_DELAY = Duration.ofMillis(50);

  private ReaderHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  private void givenStoredSnapshot(Vertx vertx, EmulatorOptions options, UnaryOperator<SubscribeOptions> tune)
      throws InterruptedException {
    harness = ReaderHarness.start(vertx, options);
    harness.emulator.write("items", T1, List.of(RowDiff.insert(item(1, "apple", "10")),
        RowDiff.insert(item(2, "pear", "5"))));
    harness.startReader(tune == null ? harness.options() : tune.apply(harness.options()));
    harness.awaitBatches(1);
  }

  private List<SourceFailure> failuresOfKind(FailureKind kind) {
    return harness.statuses.stream().map(SourceStatus::lastFailure).filter(Objects::nonNull)
        .filter(f -> f.kind() == kind).distinct().toList();
  }

  /**
   * Verifies that after a connection is killed mid-stream the reader resumes from the consumer's frontier with no
   * missing and no repeated change, including an update written exactly at that frontier.
   */
  @Test
  void resumesAfterKilledConnectionWithoutGapsOrDuplicates(Vertx vertx) throws Exception {
    // GIVEN a reader that has stored the snapshot and an update, so the durable frontier F is T2 + 1
    givenStoredSnapshot(vertx, new EmulatorOptions().setRetentionMs(LONG_RETENTION_MS), null);
    harness.emulator.updateAt("items", T2, item(1, "apple", "10"), item(1, "apple", "7"));
    harness.awaitBatches(2);
    List<Integer> before = harness.emulator.connectionIds();
    // WHEN its connection is killed, and item 1 changes exactly at F and item 2 is deleted while it reconnects
    harness.emulator.pauseProgress("items");
    harness.emulator.killConnection(before.get(0));
    harness.emulator.updateAt("items", T2 + 1, item(1, "apple", "7"), item(1, "apple", "8"));
    harness.emulator.deleteAt("items", T3, item(2, "pear", "5"));
    awaitCondition("the reader is connected again", () -> harness.reader.status().state() == SourceState.CONNECTED
        && !harness.emulator.connectionIds().isEmpty() && !harness.emulator.connectionIds().equals(before));
    harness.emulator.resumeProgress("items");
    List<ChangeBatch> batches = harness.awaitBatches(3);
    // THEN it resumed after F and the union of batches is the crash-free sequence, each change exactly once
    assertThat(harness.consumer.positionsServed())
        .containsExactly(ResumePosition.snapshot(), ResumePosition.after(BigInteger.valueOf(T2 + 1)));
    assertThat(batches).containsExactly(
        batch(T1 + 1, true, upsert(1, "apple", "10", T1), upsert(2, "pear", "5", T1)),
        batch(T2 + 1, false, upsert(1, "apple", "7", T2)),
        batch(T3 + 1, false, upsert(1, "apple", "8", T2 + 1), delete(2, T3)));
    List<Change> crashFree = List.of(upsert(1, "apple", "10", T1), upsert(2, "pear", "5", T1),
        upsert(1, "apple", "7", T2), upsert(1, "apple", "8", T2 + 1), delete(2, T3));
    assertThat(harness.consumer.changes()).containsExactlyElementsOf(crashFree);
    // AND the drop was reported as a transient failure
    assertThat(failuresOfKind(FailureKind.TRANSIENT)).isNotEmpty();
  }

  /**
   * Verifies that history compacted past the checkpoint is reported as HISTORY_LOST, in both error profiles, and that
   * the reader then recovers with a fresh snapshot of the view as it is now (design.md §3.4).
   */
  @ParameterizedTest
  @EnumSource(ErrorProfile.class)
  void reportsHistoryLostWhenCheckpointWasCompacted(ErrorProfile profile, Vertx vertx) throws Exception {
    // GIVEN a consumer that stored the snapshot, and a reader that then stopped
    givenStoredSnapshot(vertx, new EmulatorOptions().setErrorProfile(profile), null);
    harness.stopReader();
    // WHEN the view moves on and its history is compacted past the checkpoint, and a new reader starts
    harness.emulator.updateAt("items", T3, item(1, "apple", "10"), item(1, "apple", "7"));
    harness.emulator.compact("items", T3);
    harness.statuses.clear();
    harness.startReader(harness.options());
    List<ChangeBatch> batches = harness.awaitBatches(2);
    // THEN the resume from the checkpoint failed as HISTORY_LOST with the profile's SQLSTATE, before any connect
    SourceStatus lost = harness.statuses.stream()
        .filter(s -> s.lastFailure() != null && s.lastFailure().kind() == FailureKind.HISTORY_LOST)
        .findFirst().orElseThrow(() -> new AssertionError("no HISTORY_LOST status in " + harness.statuses));
    assertThat(lost.state()).isEqualTo(SourceState.RETRYING);
    assertThat(lost.lastFailure().sqlState()).isEqualTo(profile == ErrorProfile.CURRENT ? "22000" : "XX000");
    assertThat(harness.statuses.subList(0, harness.statuses.indexOf(lost))).extracting(SourceStatus::state)
        .doesNotContain(SourceState.CONNECTED);
    assertThat(harness.consumer.positionsServed().get(1)).isEqualTo(ResumePosition.after(BigInteger.valueOf(T1 + 1)));
    // AND the reader recovered with a fresh snapshot of the view as it is now, not with the lost changes
    assertThat(batches.get(1)).isEqualTo(batch(T3 + 1, true, upsert(1, "apple", "7", T3), upsert(2, "pear", "5", T3)));
  }

  /** Verifies that a view dropped mid-stream is reported as OBJECT_DROPPED, in both error profiles. */
  @ParameterizedTest
  @EnumSource(ErrorProfile.class)
  void reportsObjectDroppedWhenViewIsDropped(ErrorProfile profile, Vertx vertx) throws Exception {
    // GIVEN a running reader that has stored the snapshot
    givenStoredSnapshot(vertx, new EmulatorOptions().setErrorProfile(profile), null);
    // WHEN the view is dropped
    harness.emulator.drop("items");
    awaitCondition("the reader retried against the missing view",
        () -> failuresOfKind(FailureKind.OBJECT_DROPPED).size() >= 2);
    // THEN the drop was reported with the profile's SQLSTATE, then the missing view on resubscribe, both as dropped
    List<SourceFailure> dropped = failuresOfKind(FailureKind.OBJECT_DROPPED);
    assertThat(dropped.get(0).sqlState()).isEqualTo(profile == ErrorProfile.CURRENT ? "42704" : "XX000");
    assertThat(dropped.get(0).message()).contains("was dropped");
    assertThat(dropped.get(1).sqlState()).isEqualTo("42P01");
    assertThat(harness.reader.status().state()).isEqualTo(SourceState.RETRYING);
    assertThat(harness.reader.status().lastFailure().kind()).isEqualTo(FailureKind.OBJECT_DROPPED);
  }

  /** Verifies that a batch the consumer refuses is delivered again after a reconnect, and nothing else repeats. */
  @Test
  void redeliversRefusedBatchAfterReconnect(Vertx vertx) throws Exception {
    // GIVEN a running reader that has stored the snapshot
    givenStoredSnapshot(vertx, new EmulatorOptions().setRetentionMs(LONG_RETENTION_MS), null);
    // WHEN the consumer refuses the batch holding the next update
    harness.consumer.failNextBatch();
    harness.emulator.updateAt("items", T2, item(1, "apple", "10"), item(1, "apple", "7"));
    List<ChangeBatch> batches = harness.awaitBatches(2);
    // THEN the reader resumed from the stored snapshot frontier and the update was stored exactly once
    assertThat(batches).containsExactly(
        batch(T1 + 1, true, upsert(1, "apple", "10", T1), upsert(2, "pear", "5", T1)),
        batch(T2 + 1, false, upsert(1, "apple", "7", T2)));
    assertThat(harness.consumer.positionsServed())
        .containsExactly(ResumePosition.snapshot(), ResumePosition.after(BigInteger.valueOf(T1 + 1)));
  }

  /**
   * Verifies that a consumer refusing batch after batch (a failing store) is not treated as a Materialize failure:
   * each refusal re-subscribes after the short fixed consumer delay, the reconnect back-off does not grow, no source
   * failure is reported, each refusal is one WARN saying the consumer refused, and the change is stored exactly once
   * in the end. With refusals counted as source failures, the delays would grow to seconds (back-off 400 ms doubling)
   * and TRANSIENT failures would be reported.
   */
  @Test
  void consumerRefusingBatchesRetriesAfterAFixedDelayWithoutGrowingTheBackOff(Vertx vertx) throws Exception {
    // GIVEN a reader with a 400 ms initial back-off and a 50 ms consumer delay that has stored the snapshot
    givenStoredSnapshot(vertx, new EmulatorOptions().setRetentionMs(LONG_RETENTION_MS),
        SubscribeReaderRecoveryTest::backOffSensitive);
    // WHEN the consumer refuses the next five batches, and item 1 is updated
    try (CapturedLogs logs = CapturedLogs.start()) {
      harness.consumer.failNextBatches(REFUSALS);
      harness.emulator.updateAt("items", T2, item(1, "apple", "10"), item(1, "apple", "7"));
      List<ChangeBatch> batches = harness.awaitBatches(2);
      // THEN the update was stored exactly once, after one re-subscribe per refusal from the stored frontier
      assertThat(batches.get(1)).isEqualTo(batch(T2 + 1, false, upsert(1, "apple", "7", T2)));
      assertThat(batches).hasSize(2);
      assertThat(harness.consumer.positionsServed()).hasSize(1 + REFUSALS)
          .endsWith(ResumePosition.after(BigInteger.valueOf(T1 + 1)));
      assertEachRetryFollowedItsRefusalAfterTheFixedDelay();
      // AND no source failure was reported, and each refusal was one WARN naming the consumer
      assertNoSourceFailureReported();
      assertThat(logs.warningsAndErrors()).hasSize(REFUSALS)
          .allMatch(line -> line.startsWith("WARN ") && line.contains("consumer refused"));
    }
    // AND the back-off did not grow: a real connection loss now reconnects within the first back-off step
    assertReconnectsWithinTheFirstBackOffStep();
  }

  /**
   * Verifies that a consumer failing its resume-position requests (the store is down at start) is retried after the
   * fixed consumer delay each time, with no source failure reported and no back-off growth.
   */
  @Test
  void consumerRefusingResumePositionsRetriesAfterAFixedDelay(Vertx vertx) throws Exception {
    // GIVEN a consumer whose first five resume-position requests fail
    harness = ReaderHarness.start(vertx, new EmulatorOptions().setRetentionMs(LONG_RETENTION_MS));
    harness.emulator.write("items", T1, List.of(RowDiff.insert(item(1, "apple", "10"))));
    harness.consumer.failNextResumePositions(REFUSALS);
    // WHEN the reader starts
    harness.startReader(backOffSensitive(harness.options()));
    List<ChangeBatch> batches = harness.awaitBatches(1);
    // THEN it asked again after the fixed delay each time, then subscribed with the snapshot
    assertThat(batches).containsExactly(batch(T1 + 1, true, upsert(1, "apple", "10", T1)));
    assertThat(harness.consumer.positionRequestNanos()).hasSize(1 + REFUSALS);
    assertEachRetryFollowedItsRefusalAfterTheFixedDelay();
    // AND no source failure was reported, and the back-off did not grow
    assertNoSourceFailureReported();
    assertReconnectsWithinTheFirstBackOffStep();
  }

  /** A back-off that visibly grows (400 ms, 800 ms, … up to 30 s) next to a short fixed consumer delay. */
  private static SubscribeOptions backOffSensitive(SubscribeOptions options) {
    return options.setInitialBackoff(INITIAL_BACKOFF).setMaxBackoff(Duration.ofSeconds(30))
        .setConsumerRetryDelay(CONSUMER_RETRY_DELAY);
  }

  private void assertEachRetryFollowedItsRefusalAfterTheFixedDelay() {
    List<Long> refusals = harness.consumer.refusalNanos();
    List<Long> requests = harness.consumer.positionRequestNanos();
    assertThat(refusals).hasSize(REFUSALS);
    for (Long refusal : refusals) {
      long retriedAfterMs = requests.stream().filter(at -> at > refusal).findFirst()
          .map(at -> TimeUnit.NANOSECONDS.toMillis(at - refusal))
          .orElseThrow(() -> new AssertionError("no re-subscribe after a refusal"));
      assertThat(retriedAfterMs).as("re-subscribed %d ms after a refusal", retriedAfterMs)
          .isGreaterThanOrEqualTo(CONSUMER_RETRY_DELAY.toMillis() - 5)
          .isLessThan(CONSUMER_RETRY_DELAY.toMillis() + 500);
    }
  }

  private void assertNoSourceFailureReported() {
    assertThat(harness.statuses).extracting(SourceStatus::state).contains(SourceState.RETRYING);
    assertThat(harness.statuses).allSatisfy(status -> assertThat(status.lastFailure()).isNull());
  }

  private void assertReconnectsWithinTheFirstBackOffStep() throws InterruptedException {
    awaitCondition("the reader is connected", () -> harness.reader.status().state() == SourceState.CONNECTED
        && harness.emulator.connectionIds().size() == 1);
    int requestsBefore = harness.consumer.positionRequestNanos().size();
    long killed = System.nanoTime();
    harness.emulator.killConnection(harness.emulator.connectionIds().get(0));
    awaitCondition("the reader asked where to resume",
        () -> harness.consumer.positionRequestNanos().size() > requestsBefore);
    long reconnectMs = TimeUnit.NANOSECONDS.toMillis(harness.consumer.positionRequestNanos().get(requestsBefore)
        - killed);
    assertThat(reconnectMs).as("reconnected %d ms after the connection loss", reconnectMs)
        .isLessThan(INITIAL_BACKOFF.toMillis() + 500);
    assertThat(harness.reader.status().lastFailure().kind()).isEqualTo(FailureKind.TRANSIENT);
  }

  /**
   * Verifies that a consumer stalling longer than the server's idle-in-transaction timeout does not cost the session:
   * keep-alive FETCHes hold it, so the same connection delivers every change with no reconnect.
   */
  @Test
  void keepsSessionAliveWhileConsumerStalls(Vertx vertx) throws Exception {
    // GIVEN a server that ends sessions idle in a transaction for 1 s, and a consumer taking 1.5 s per batch
    harness = ReaderHarness.start(vertx, new EmulatorOptions());
    harness.emulator.write("items", T1, List.of(RowDiff.insert(item(1, "apple", "10"))));
    harness.consumer.stallEachBatch(Duration.ofMillis(1_500));
    SubscribeOptions options = harness.options().setMaxPendingBatches(1).setKeepAliveInterval(Duration.ofMillis(300));
    options.getConnectOptions().addProperty("idle_in_transaction_session_timeout", "1s");
    harness.startReader(options);
    awaitCondition("the reader is connected", () -> !harness.emulator.connectionIds().isEmpty()
        && harness.reader.status().state() == SourceState.CONNECTED);
    List<Integer> connection = harness.emulator.connectionIds();
    // WHEN two more changes arrive while the consumer is still busy with the snapshot
    harness.emulator.updateAt("items", T2, item(1, "apple", "10"), item(1, "apple", "7"));
    harness.emulator.insertAt("items", T3, item(2, "pear", "5"));
    List<ChangeBatch> batches = harness.consumer.awaitBatches(b -> b.size() >= 3, Duration.ofSeconds(15));
    // THEN every change arrived in order over the same connection, without any reconnect
    assertThat(batches).containsExactly(
        batch(T1 + 1, true, upsert(1, "apple", "10", T1)),
        batch(T2 + 1, false, upsert(1, "apple", "7", T2)),
        batch(T3 + 1, false, upsert(2, "pear", "5", T3)));
    assertThat(harness.emulator.connectionIds()).isEqualTo(connection);
    assertThat(harness.consumer.positionsServed()).containsExactly(ResumePosition.snapshot());
    assertThat(harness.sawState(SourceState.RETRYING)).isFalse();
    // AND the reader never had more than maxPendingBatches batches outstanding
    assertThat(harness.consumer.maxBatchesInFlight()).isEqualTo(1);
  }
}
