package io.tycostream.triggers.delivery;

import static io.tycostream.triggers.delivery.DeliveryFixture.await;
import static io.tycostream.triggers.delivery.DeliveryFixture.awaitCondition;
import static io.tycostream.triggers.delivery.DeliveryFixture.loopbackOptions;
import static io.tycostream.triggers.delivery.DeliveryFixture.quickRetries;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.StoredEvent;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.tycostream.triggers.testkit.StallingWebhookReceiver;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that a restart does not wait for leases: events a previous run had claimed (in flight when it crashed or
 * was stopped) are sent again within moments of the new start, with a 60 s lease in place.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeliveryRestartTest {

  private static final String EVENT = "00112233445566778899aabbccddeeff";
  private static final String DATA = "{\"account\":\"A-7\",\"net_position\":10250.5}";
  private static final Duration LEASE = Duration.ofSeconds(60);
  /** Far below the lease: a redelivery this fast cannot come from a lease running out. */
  private static final long RESEND_BOUND_MS = 5_000;

  @TempDir
  Path dir;

  private DeliveryFixture fixture;
  private WebhookReceiver receiver;
  private StallingWebhookReceiver stalling;

  @BeforeEach
  void setUp(Vertx vertx) {
    fixture = DeliveryFixture.open(vertx, dir);
  }

  @AfterEach
  void tearDown() {
    fixture.close();
    if (receiver != null) {
      await(receiver.stop());
    }
    if (stalling != null) {
      await(stalling.stop());
    }
  }

  private static DeliveryOptions withLongLease() {
    return loopbackOptions(quickRetries(3)).setLease(LEASE);
  }

  /** Verifies that events leased by a crashed previous run are re-sent right after the start, in their order. */
  @Test
  void resendsWhatACrashedRunHadClaimedRightAfterTheStart(Vertx vertx) {
    // GIVEN three events claimed, for a 60 s lease, by a run that then died without recording anything
    receiver = await(WebhookReceiver.start(vertx));
    fixture.createTrigger("crashed", receiver.url("/hooks"));
    List<String> ids = List.of("a0000000000000000000000000000003", "a0000000000000000000000000000001",
      "a0000000000000000000000000000002");
    ids.forEach(id -> fixture.commitEvent(id, "crashed", DATA));
    List<StoredEvent> claimed = await(fixture.store.claimDue("previous-run", System.currentTimeMillis(), 10,
      LEASE.toMillis(), Set.of()));
    assertThat(claimed).hasSize(3);

    // WHEN delivery starts again
    long started = System.nanoTime();
    fixture.deploy(withLongLease());

    // THEN the events arrive within seconds, not after the lease, in the order they were committed
    awaitCondition("the claimed events are delivered", () -> receiver.received().size() == 3);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(RESEND_BOUND_MS);
    assertThat(receiver.received()).extracting(ReceivedWebhook::eventId).containsExactlyElementsOf(ids);
    // (each outcome is written just after its answer)
    awaitCondition("the events are recorded delivered",
        () -> ids.stream().allMatch(id -> fixture.event(id).status() == EventStatus.DELIVERED));
  }

  /** Verifies that an attempt a stop abandoned mid-request is sent again as soon as delivery is back. */
  @Test
  void resendsAnAttemptAbandonedByAStopRightAfterTheRestart(Vertx vertx) {
    // GIVEN a request in flight to a receiver that holds it, and a stop that does not wait for it
    stalling = await(StallingWebhookReceiver.start(vertx, 1));
    fixture.createTrigger("abandoned", stalling.url("/hooks"));
    String first = fixture.deploy(withLongLease().setRequestTimeout(Duration.ofSeconds(20))
      .setDrainTimeout(Duration.ZERO));
    fixture.commitEvent(EVENT, "abandoned", DATA);
    awaitCondition("the first request arrives", () -> stalling.requestCount() == 1);
    fixture.undeploy(first);

    // WHEN delivery starts again
    long started = System.nanoTime();
    fixture.deploy(withLongLease());

    // THEN the event is sent again, with the same id, within seconds, and delivered
    awaitCondition("the event is delivered", () -> fixture.event(EVENT).status() == EventStatus.DELIVERED);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(RESEND_BOUND_MS);
    assertThat(stalling.received()).extracting(ReceivedWebhook::webhookId).containsExactly(EVENT, EVENT);
  }
}
