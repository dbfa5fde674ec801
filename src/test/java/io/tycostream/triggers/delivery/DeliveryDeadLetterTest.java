package io.tycostream.triggers.delivery;

import static io.tycostream.triggers.delivery.DeliveryFixture.await;
import static io.tycostream.triggers.delivery.DeliveryFixture.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** An endpoint that stays down: its events reach the dead-letter queue on the retry schedule, and replay works. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryDeadLetterTest {

  private static final int MAX_ATTEMPTS = 5;
  private static final Duration WAIT = Duration.ofMillis(100);
  private static final Duration RESET = Duration.ofMillis(500);
  private static final int EVENTS = 20;

  @TempDir
  Path dir;

  private DeliveryFixture fixture;
  private WebhookReceiver receiver;

  @BeforeEach
  void setUp(Vertx vertx) {
    fixture = DeliveryFixture.open(vertx, dir);
    receiver = await(WebhookReceiver.start(vertx)).respondWith(() -> 503);
  }

  @AfterEach
  void tearDown() {
    fixture.close();
    await(receiver.stop());
  }

  /**
   * Verifies that while an endpoint is down and its circuit open, every event spends its retry budget on the
   * schedule (attempts without a request while the circuit is open) and ends dead, none left with 0 attempts; and
   * that once the endpoint is back a bulk replay delivers them all with their original event ids.
   */
  @Test
  void aDownEndpointDeadLettersItsEventsOnScheduleAndReplayDeliversThem(Vertx vertx) {
    // GIVEN an endpoint answering 503, a budget of 5 attempts 50-100 ms apart, a breaker opening after 3 failures
    fixture.createTrigger("down", receiver.url("/hooks"));
    fixture.deploy(DeliveryFixture.loopbackOptions(
            RetryPolicy.exponentialBackoff(WAIT, 1.0, WAIT, MAX_ATTEMPTS))
        .setBreakerMaxFailures(3)
        .setBreakerResetTimeout(RESET));

    // WHEN events are committed for it
    List<String> ids = new ArrayList<>();
    List<NewEvent> events = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      String id = String.format("e%031d", i);
      ids.add(id);
      events.add(new NewEvent(id, "down", "FIRE", DeliveryFixture.SOURCE_TIMESTAMP, "[\"" + id + "\"]", "{}"));
    }
    long committedAt = System.nanoTime();
    fixture.commit(events);

    // THEN every event is dead within a few retry windows, each after exactly its 5 attempts
    awaitCondition("every event is dead", () -> ids.stream()
        .allMatch(id -> fixture.event(id).status() == EventStatus.DEAD));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - committedAt);
    assertThat(tookMs).isLessThan(RESET.toMillis() * 2 + (MAX_ATTEMPTS - 1) * WAIT.toMillis() * 4);
    assertThat(ids).allSatisfy(id -> assertThat(fixture.event(id).attempts()).isEqualTo(MAX_ATTEMPTS));
    assertThat(ids).allSatisfy(id -> assertThat(fixture.attempts(id)).hasSize(MAX_ATTEMPTS));
    // and the endpoint saw few requests (the first wave in flight, then probes): most attempts were refused by the
    // open circuit without one
    assertThat(receiver.requestCount()).isLessThan(EVENTS * MAX_ATTEMPTS / 2);

    // WHEN the endpoint is back and, after the probe time, the dead events are replayed
    receiver.respondWith(() -> 200);
    DeliveryFixture.pause(RESET.toMillis() + 200);
    int retried = await(fixture.store.outboxAdmin().retryEvents("down", EventStatus.DEAD, null, null,
        System.currentTimeMillis()));
    vertx.eventBus().publish(BusAddresses.DELIVERY_WAKE, null);

    // THEN all are delivered with their original event ids, their history kept and new attempts appended
    assertThat(retried).isEqualTo(EVENTS);
    awaitCondition("every replayed event is delivered", () -> ids.stream()
        .allMatch(id -> fixture.event(id).status() == EventStatus.DELIVERED));
    assertThat(receiver.received()).extracting(ReceivedWebhook::eventId).containsAll(ids);
    assertThat(ids).allSatisfy(id -> assertThat(fixture.attempts(id)).hasSize(MAX_ATTEMPTS + 1)
        .last().satisfies(last -> assertThat(last.attemptNumber()).isEqualTo(MAX_ATTEMPTS + 1)));
  }
}
