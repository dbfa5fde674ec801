package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.SourceFailure;
import io.tycostream.triggers.source.SourceSnapshot;
import io.tycostream.triggers.source.SourceSnapshotException;
import io.tycostream.triggers.source.SourceState;
import io.tycostream.triggers.source.SourceStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static io.tycostream.triggers.source.materialize.ReaderHarness.await;
import static io.tycostream.triggers.source.materialize.ReaderHarness.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies that connecting is bounded: against a server that accepts TCP connections and never answers (a silent
 * partition, a hung proxy), every attempt of the reader and of its snapshots fails as TRANSIENT after the connect
 * timeout and its half-open connection is closed. Without the bound the first attempt hangs until the peer goes away.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubscribeReaderConnectTimeoutTest {

  private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(300);

  /** One accepted socket of the silent server: when it was accepted and when the client closed it (0 if open). */
  private static final class Accepted {
    final long acceptedNanos = System.nanoTime();
    volatile long closedNanos;
  }

  private Vertx vertx;
  private NetServer silentServer;
  private final List<Accepted> accepted = new CopyOnWriteArrayList<>();
  private final List<SourceStatus> statuses = new CopyOnWriteArrayList<>();
  private SubscribeReader reader;

  @BeforeEach
  void startSilentServer(Vertx vertx) {
    this.vertx = vertx;
    silentServer = await(vertx.createNetServer().connectHandler(socket -> {
      Accepted connection = new Accepted();
      accepted.add(connection);
      socket.handler(ignored -> { });
      socket.closeHandler(v -> connection.closedNanos = System.nanoTime());
    }).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    if (reader != null) {
      await(reader.stop());
    }
    await(silentServer.close());
  }

  private SubscribeOptions options(SslMode sslMode) {
    PgConnectOptions connect = new PgConnectOptions().setHost("127.0.0.1").setPort(silentServer.actualPort())
        .setDatabase("materialize").setUser("materialize").setSslMode(sslMode);
    if (sslMode != SslMode.DISABLE) {
      connect.setSslOptions(new ClientSSLOptions().setTrustAll(true).setHostnameVerificationAlgorithm(""));
    }
    return new SubscribeOptions().setSource("items-source").setConnectOptions(connect).setView("items")
        .setKeyColumns(List.of("id")).setConnectTimeout(CONNECT_TIMEOUT)
        .setInitialBackoff(Duration.ofMillis(20)).setMaxBackoff(Duration.ofMillis(100))
        .setSnapshotTimeout(Duration.ofSeconds(20));
  }

  /**
   * Verifies that the reader's attempts against a silent server each fail as TRANSIENT after the connect timeout,
   * close their half-open connection, and are retried with back-off, with and without TLS.
   */
  @ParameterizedTest
  @EnumSource(value = SslMode.class, names = {"DISABLE", "REQUIRE"})
  void readerTimesOutClosesAndRetriesAgainstASilentServer(SslMode sslMode) throws Exception {
    // GIVEN a reader pointed at a server that accepts and never answers
    reader = new SubscribeReader(vertx, options(sslMode), new RecordingBatchConsumer(vertx), statuses::add);
    // WHEN it starts
    await(reader.start());
    awaitCondition("three attempts were made and two given up",
        () -> accepted.size() >= 3 && accepted.stream().filter(a -> a.closedNanos != 0).count() >= 2);
    // THEN each given-up attempt was closed by the reader about one connect timeout after it was accepted
    List<Accepted> closed = accepted.stream().filter(a -> a.closedNanos != 0).toList();
    for (Accepted attempt : closed) {
      long heldMs = TimeUnit.NANOSECONDS.toMillis(attempt.closedNanos - attempt.acceptedNanos);
      assertThat(heldMs).as("an attempt was held %d ms", heldMs)
          .isGreaterThanOrEqualTo(CONNECT_TIMEOUT.toMillis() - 50).isLessThan(3_000);
    }
    // AND the reader reports the attempts as transient failures and keeps retrying
    List<SourceFailure> failures = statuses.stream().map(SourceStatus::lastFailure).filter(Objects::nonNull)
        .toList();
    assertThat(failures).isNotEmpty().allSatisfy(failure -> {
      assertThat(failure.kind()).isEqualTo(FailureKind.TRANSIENT);
      assertThat(failure.message()).contains("no ready session within 300 ms");
    });
    assertThat(reader.status().state()).isIn(SourceState.RETRYING, SourceState.STARTING);
    assertThat(statuses).extracting(SourceStatus::state).doesNotContain(SourceState.CONNECTED);
  }

  /** Verifies that both kinds of snapshot against a silent server fail as TRANSIENT after the connect timeout. */
  @Test
  void snapshotsTimeOutAndCloseAgainstASilentServer() throws Exception {
    // GIVEN a reader (not started) pointed at a server that accepts and never answers, with a 20 s snapshot timeout
    reader = new SubscribeReader(vertx, options(SslMode.DISABLE), new RecordingBatchConsumer(vertx), null);
    // WHEN a snapshot at a frontier and a fresh snapshot are taken
    List<Function<SubscribeReader, Future<SourceSnapshot>>> snapshots = List.of(
        r -> r.snapshotAt(BigInteger.valueOf(1_000)), r -> r.snapshotAtLeast(null));
    for (Function<SubscribeReader, Future<SourceSnapshot>> snapshot : snapshots) {
      long started = System.nanoTime();
      SourceSnapshotException failure = failureOf(snapshot.apply(reader));
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      // THEN each fails as TRANSIENT after about the connect timeout, not the snapshot timeout
      assertThat(failure.kind()).isEqualTo(FailureKind.TRANSIENT);
      assertThat(failure.getMessage()).contains("no ready session within 300 ms");
      assertThat(tookMs).isGreaterThanOrEqualTo(CONNECT_TIMEOUT.toMillis() - 50).isLessThan(5_000);
    }
    // AND their half-open connections are closed
    awaitCondition("both snapshot connections are closed",
        () -> accepted.size() == 2 && accepted.stream().allMatch(a -> a.closedNanos != 0));
  }

  /** Verifies that stopping a reader that is still connecting closes its half-open connection at once. */
  @Test
  void stopWhileConnectingClosesTheHalfOpenConnection() throws Exception {
    // GIVEN a reader connecting to a silent server with a 10 s connect timeout
    reader = new SubscribeReader(vertx, options(SslMode.DISABLE).setConnectTimeout(Duration.ofSeconds(10)),
        new RecordingBatchConsumer(vertx), statuses::add);
    await(reader.start());
    awaitCondition("the server accepted the connection", () -> accepted.size() == 1);
    // WHEN it stops
    long started = System.nanoTime();
    await(reader.stop());
    // THEN it stopped at once, and the connection is closed
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(1_000);
    awaitCondition("the half-open connection is closed", () -> accepted.get(0).closedNanos != 0);
    assertThat(reader.status().state()).isEqualTo(SourceState.STOPPED);
  }

  private static SourceSnapshotException failureOf(Future<?> future) throws InterruptedException {
    try {
      future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(SourceSnapshotException.class);
      return (SourceSnapshotException) e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the snapshot neither completed nor failed", e);
    }
    throw new AssertionError("the snapshot succeeded against a silent server");
  }
}
