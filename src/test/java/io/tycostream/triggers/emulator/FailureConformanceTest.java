package io.tycostream.triggers.emulator;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.emulator.EmulatorTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conformance of subscribe failures (spec §5; scenarios 8 and 9 of §10.7): dropped relation and cluster in both
 * error profiles, poisoned dataflows, and stalled progress.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FailureConformanceTest {

  private static final long T0 = 1_713_467_627_000L;

  private MaterializeEmulator emulator;
  private EmulatorTestClient client;

  @BeforeEach
  void start(Vertx vertx) {
    emulator = await(MaterializeEmulator.start(vertx, new EmulatorOptions().setTickMs(0).setStartTime(T0)));
    emulator.createTable("t", EmulatorColumn.of("a", PgType.INT4), EmulatorColumn.of("b", PgType.TEXT));
    client = EmulatorTestClient.connect(vertx, emulator.connectOptions());
  }

  @AfterEach
  void stop() {
    client.close();
    await(emulator.stop());
  }

  private void subscribe() {
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE t WITH (PROGRESS)");
    client.rows("FETCH ALL c WITH (timeout = '0s')");
  }

  /** Verifies that dropping the relation mid-stream fails the FETCH with 42704 in the CURRENT profile. */
  @Test
  void dropMidStreamFailsWithCurrentError() {
    // GIVEN a running subscribe
    subscribe();
    // WHEN the relation is dropped
    emulator.drop("t");
    PgException error = client.queryFailure("FETCH ALL c");
    // THEN the FETCH fails with the CURRENT text and the engine is released
    assertThat(error.getSqlState()).isEqualTo("42704");
    assertThat(error.getErrorMessage())
        .isEqualTo("query could not complete because relation \"materialize.public.t\" was dropped");
    assertThat(emulator.activeSubscribes()).isZero();
  }

  /** Verifies that a drop with queued rows fails the FETCH with the LEGACY XX000 error and fails the transaction. */
  @Test
  void dropMidStreamFailsWithLegacyErrorAndFailsTransaction() {
    // GIVEN the LEGACY profile and a change queued but not yet fetched
    emulator.setErrorProfile(ErrorProfile.LEGACY);
    subscribe();
    emulator.insert("t", 1, "x");
    // WHEN the relation is dropped and the reader fetches
    emulator.drop("t");
    PgException error = client.queryFailure("FETCH ALL c");
    // THEN the FETCH fails (no CommandComplete) with the released-version text and later statements get 25P02
    assertThat(error.getSqlState()).isEqualTo("XX000");
    assertThat(error.getErrorMessage()).isEqualTo(
        "subscribe has been terminated because underlying relation \"materialize.public.t\" was dropped");
    assertThat(client.queryFailure("FETCH ALL c").getSqlState()).isEqualTo("25P02");
    assertThat(client.query("COMMIT").size()).isZero();
    assertThat(client.queryFailure("BEGIN; DECLARE d CURSOR FOR SUBSCRIBE t").getSqlState()).isEqualTo("42P01");
  }

  /** Verifies that a cluster drop fails running subscribes in both profiles and new ones until recreated. */
  @Test
  void clusterDropFailsRunningAndNewSubscribes() {
    // GIVEN a running subscribe
    subscribe();
    // WHEN the cluster is dropped
    emulator.dropCluster();
    PgException running = client.queryFailure("FETCH ALL c");
    client.query("ROLLBACK");
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE t");
    PgException fresh = client.queryFailure("FETCH ALL c");
    client.query("ROLLBACK");
    emulator.recreateCluster();
    // THEN both fail, and after recreation a subscribe works again
    assertThat(running.getSqlState()).isEqualTo("42704");
    assertThat(running.getErrorMessage()).contains("cluster \"quickstart\" was dropped");
    assertThat(fresh.getSqlState()).isEqualTo("42704");
    subscribe();
  }

  /** Verifies that a failed dataflow errors running subscribes and every new one until the failure is cleared. */
  @Test
  void poisonedDataflowRepeatsErrorOnResubscribe() {
    // GIVEN a running subscribe
    subscribe();
    // WHEN its dataflow fails, and the reader resubscribes twice
    emulator.failDataflow("t", "division by zero");
    PgException running = client.queryFailure("FETCH ALL c");
    client.query("ROLLBACK");
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE t WITH (PROGRESS)");
    PgException again = client.queryFailure("FETCH ALL c");
    client.query("ROLLBACK");
    emulator.clearDataflowFailure("t");
    // THEN each attempt fails with the same XX000 error until cleared
    assertThat(running.getSqlState()).isEqualTo("XX000");
    assertThat(running.getErrorMessage()).isEqualTo("division by zero");
    assertThat(again.getErrorMessage()).isEqualTo("division by zero");
    subscribe();
  }

  /** Verifies that stalled progress (replica restart) delivers the stalled writes once on resume, without dups. */
  @Test
  void pausedProgressResumesWithoutDuplicates() {
    // GIVEN a running subscribe whose progress is stalled while two writes happen
    subscribe();
    emulator.pauseProgress("t");
    long t1 = emulator.insert("t", 1, "x");
    long t2 = emulator.insert("t", 2, "y");
    List<String> duringStall = client.rows("FETCH ALL c WITH (timeout = '50ms')");
    // WHEN progress resumes
    emulator.resumeProgress("t");
    List<String> afterResume = client.rows("FETCH ALL c WITH (timeout = '0s')");
    List<String> later = client.rows("FETCH ALL c WITH (timeout = '0s')");
    // THEN nothing arrives during the stall and each write exactly once afterwards
    assertThat(duringStall).isEmpty();
    assertThat(afterResume).containsExactly(t1 + ",false,1,1,x", t2 + ",false,1,2,y",
        (t2 + 1) + ",true,null,null,null");
    assertThat(later).isEmpty();
  }
}
