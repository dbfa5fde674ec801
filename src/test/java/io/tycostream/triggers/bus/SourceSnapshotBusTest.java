package io.tycostream.triggers.bus;

import io.tycostream.triggers.config.LoadgenConfig;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.SourceType;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ChangeFold;
import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.ResumePosition;
import io.tycostream.triggers.source.SourceSnapshot;
import io.tycostream.triggers.source.SourceSnapshotException;
import io.tycostream.triggers.source.SourceVerticle;
import io.tycostream.triggers.source.loadgen.PositionsGenerator;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the snapshot request on {@link BusAddresses#snapshot(String)} end to end: a {@link SourceVerticle} running a
 * loadgen source, an evaluator stand-in taking its batches, and {@link SnapshotRequests} on the asking side.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SourceSnapshotBusTest {

  private static final String SOURCE = "positions";

  private final List<ChangeBatch> stored = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private String deployment;

  /** GIVEN codecs, an evaluator stand-in that stores every batch, and a deployed loadgen source verticle. */
  @BeforeEach
  void deploySource(Vertx vertx) throws Exception {
    this.vertx = vertx;
    BusCodecs.register(vertx.eventBus());
    vertx.eventBus().<ChangeBatch>consumer(BusAddresses.batches(SOURCE), message -> {
      stored.add(message.body());
      message.reply(null);
    });
    vertx.eventBus().consumer(BusAddresses.resumePosition(SOURCE), message -> message.reply(stored.isEmpty()
        ? ResumePosition.snapshot()
        : ResumePosition.after(stored.get(stored.size() - 1).frontier())));
    SourceConfig config = new SourceConfig(SOURCE, SourceType.LOADGEN, null, List.of("account"),
        new LoadgenConfig(8, 10, 2, 3), null);
    deployment = await(vertx.deployVerticle(new SourceVerticle(config)));
  }

  @AfterEach
  void undeploy() throws Exception {
    if (deployment != null) {
      await(vertx.undeploy(deployment));
    }
  }

  /** Verifies that a snapshot at a stored frontier comes back over the bus equal to the evaluator's state there. */
  @Test
  void repliesWithTheSnapshotAtAStoredFrontier() throws Exception {
    // GIVEN the evaluator has stored six batches
    awaitStored(6);
    BigInteger frontier = stored.get(4).frontier();

    // WHEN a snapshot at the fifth batch's frontier is requested over the bus
    SourceSnapshot snapshot = await(SnapshotRequests.request(vertx.eventBus(), SOURCE, frontier));

    // THEN it is the fold of the stored batches up to that frontier
    assertThat(snapshot.source()).isEqualTo(SOURCE);
    assertThat(snapshot.frontier()).isEqualTo(frontier);
    assertThat(snapshot.schema()).isEqualTo(PositionsGenerator.SCHEMA);
    assertThat(snapshot.rows()).isNotEmpty()
        .containsExactlyInAnyOrderElementsOf(ChangeFold.upTo(List.copyOf(stored), frontier));
  }

  /** Verifies that a frontier older than the source's history comes back as HISTORY_LOST naming the source. */
  @Test
  void repliesHistoryLostForAFrontierBeforeTheStream() throws Exception {
    // GIVEN a running source
    awaitStored(1);

    // WHEN a snapshot before the stream's first frontier is requested
    Throwable failure = failureOf(SnapshotRequests.request(vertx.eventBus(), SOURCE,
        BigInteger.valueOf(PositionsGenerator.EPOCH_MS)));

    // THEN it fails as HISTORY_LOST, with a message naming the source
    assertThat(failure).isInstanceOfSatisfying(SourceSnapshotException.class, e -> {
      assertThat(e.kind()).isEqualTo(FailureKind.HISTORY_LOST);
      assertThat(e.getMessage()).contains(SOURCE);
    });
  }

  /** Verifies that a request whose body is not a frontier is refused with the bad-frontier code. */
  @Test
  void refusesARequestWithoutADecimalFrontier() throws Exception {
    // GIVEN a running source
    awaitStored(1);

    // WHEN a snapshot is requested with a body that is not a number
    Throwable failure = failureOf(vertx.eventBus().request(BusAddresses.snapshot(SOURCE), "latest",
        new DeliveryOptions().setSendTimeout(5_000)));

    // THEN the reply fails with 400 and says which source refused what
    assertThat(failure).isInstanceOfSatisfying(ReplyException.class, e -> {
      assertThat(e.failureCode()).isEqualTo(SnapshotRequests.BAD_FRONTIER);
      assertThat(e.getMessage()).contains(SOURCE).contains("latest");
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
