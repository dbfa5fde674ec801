package io.tycostream.triggers.source;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.config.LoadgenConfig;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.SourceType;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.EventBusErrors;
import io.tycostream.triggers.source.loadgen.PositionsGenerator;
import io.tycostream.triggers.testkit.SourceUnits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the fresh-snapshot request on {@link BusAddresses#snapshot(String)} end to end: a {@link SourceVerticle}
 * running a loadgen source, an evaluator stand-in taking its batches, and {@link SnapshotRequests} on the asking side.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SourceSnapshotBusTest {

  private static final String SOURCE = "positions";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final List<ChangeBatch> stored = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private String deployment;

  /** GIVEN codecs, an evaluator stand-in that stores every batch, and a deployed loadgen source verticle. */
  @BeforeEach
  void deploySource(Vertx vertx) throws Exception {
    this.vertx = vertx;
    SourceCodecs.register(vertx.eventBus());
    vertx.eventBus().<ChangeBatch>consumer(BusAddresses.batches(SOURCE), message -> {
      stored.add(message.body());
      message.reply(null);
    });
    vertx.eventBus().consumer(BusAddresses.resumePosition(SOURCE), message -> message.reply(stored.isEmpty()
        ? ResumePosition.snapshot()
        : ResumePosition.after(stored.get(stored.size() - 1).frontier())));
    SourceConfig config = new SourceConfig(SOURCE, SourceType.LOADGEN, null, List.of("account"),
        new LoadgenConfig(8, 10, 2, 3), null);
    deployment = await(vertx.deployVerticle(SourceUnits.reader(config)));
  }

  @AfterEach
  void undeploy() throws Exception {
    if (deployment != null) {
      await(vertx.undeploy(deployment));
    }
  }

  /**
   * Verifies that a fresh snapshot comes back over the bus no older than asked, and equal to the state the evaluator
   * accumulated up to its frontier.
   */
  @Test
  void repliesWithAFreshSnapshotNoOlderThanAsked() throws Exception {
    // GIVEN the evaluator has stored six batches
    awaitStored(6);
    BigInteger notBefore = stored.get(4).frontier();

    // WHEN a snapshot no older than the fifth batch's frontier is requested over the bus
    SourceSnapshot snapshot = await(SnapshotRequests.request(vertx.eventBus(), SOURCE, notBefore, TIMEOUT));

    // THEN it is at least that new, and it is the fold of the batches up to its own frontier
    assertThat(snapshot.source()).isEqualTo(SOURCE);
    assertThat(snapshot.frontier()).isGreaterThanOrEqualTo(notBefore);
    assertThat(snapshot.schema()).isEqualTo(PositionsGenerator.SCHEMA);
    awaitStoredFrontier(snapshot.frontier());
    assertThat(snapshot.rows()).isNotEmpty()
        .containsExactlyInAnyOrderElementsOf(ChangeFold.upTo(List.copyOf(stored), snapshot.frontier()));
  }

  /** Verifies that a request whose body is not a frontier is refused naming the field, in the error shape. */
  @Test
  void refusesARequestWithoutADecimalFrontier() throws Exception {
    // GIVEN a running source
    awaitStored(1);

    // WHEN a snapshot is requested with a body that is not a number
    Throwable failure = failureOf(vertx.eventBus().request(BusAddresses.snapshot(SOURCE), "latest",
        new DeliveryOptions().setSendTimeout(5_000)));

    // THEN the reply fails as invalid_field (400) and says what was refused
    assertThat(failure).isInstanceOfSatisfying(ReplyException.class, e -> {
      assertThat(e.failureCode()).isEqualTo(400);
      assertThat(EventBusErrors.toServiceException(e, SOURCE).code()).isEqualTo(ErrorCode.INVALID_FIELD);
      assertThat(EventBusErrors.toServiceException(e, SOURCE).getMessage()).contains("latest");
    });
  }

  /** Verifies that a request nobody answers fails as a transient snapshot failure naming the source. */
  @Test
  void aMissingReaderIsATransientFailure() throws Exception {
    // GIVEN no reader for source "other"
    // WHEN a snapshot of it is requested
    Throwable failure = failureOf(SnapshotRequests.request(vertx.eventBus(), "other", null, Duration.ofMillis(500)));

    // THEN it fails as TRANSIENT, naming the source
    assertThat(failure).isInstanceOfSatisfying(SourceSnapshotException.class, e -> {
      assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT);
      assertThat(e.getMessage()).contains("other");
    });
  }

  private void awaitStored(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (stored.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the source did not emit " + count + " batches");
      }
      Thread.sleep(10);
    }
  }

  private void awaitStoredFrontier(BigInteger frontier) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (stored.stream().noneMatch(batch -> batch.frontier().compareTo(frontier) >= 0)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the source did not reach frontier " + frontier);
      }
      Thread.sleep(10);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(Future<?> future) throws Exception {
    try {
      await(future);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the request succeeded, a failure was expected");
  }
}
