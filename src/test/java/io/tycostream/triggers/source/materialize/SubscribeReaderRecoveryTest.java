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

  private ReaderHarness harness;

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
  }

  private void givenStoredSnapshot(Vertx vertx, EmulatorOptions options, SubscribeOptions readerOptions)
      throws InterruptedException {
    harness = ReaderHarness.start(vertx, options);
    harness.emulator.write("items", T1, List.of(RowDiff.insert(item(1, "apple", "10")),
        RowDiff.insert(item(2, "pear", "5"))));
    harness.startReader(readerOptions == null ? harness.options() : readerOptions);
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

  /** Verifies that history compacted past the checkpoint is reported as HISTORY_LOST, in both error profiles. */
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
    awaitCondition("the resume was retried", () -> harness.consumer.positionsServed().size() >= 3);
    // THEN the status reports HISTORY_LOST with the profile's SQLSTATE, and nothing was delivered or connected
    SourceFailure failure = harness.reader.status().lastFailure();
    assertThat(failure.kind()).isEqualTo(FailureKind.HISTORY_LOST);
    assertThat(failure.sqlState()).isEqualTo(profile == ErrorProfile.CURRENT ? "22000" : "XX000");
    assertThat(harness.reader.status().state()).isEqualTo(SourceState.RETRYING);
    assertThat(harness.sawState(SourceState.CONNECTED)).isFalse();
    assertThat(harness.consumer.batches()).hasSize(1);
    assertThat(harness.consumer.positionsServed().subList(1, 3))
        .containsOnly(ResumePosition.after(BigInteger.valueOf(T1 + 1)));
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
