package io.tycostream.triggers.delivery;

import static io.tycostream.triggers.delivery.DeliveryFixture.await;
import static io.tycostream.triggers.delivery.DeliveryFixture.awaitCondition;
import static io.tycostream.triggers.delivery.DeliveryFixture.quickRetries;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.store.AttemptOutcome;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.RecordedAttempt;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.tycostream.triggers.testkit.StallingWebhookReceiver;
import io.tycostream.triggers.testkit.StandardWebhooksVerifier;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that delivery copes with receivers that never answer: the attempt times out and is retried, at most
 * {@code maxInFlight} requests are open at once, and a delivery cut off by a stop is re-sent with the same event id.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeliveryStallTest {

  private static final String EVENT = "00112233445566778899aabbccddeeff";
  private static final String DATA = "{\"account\":\"A-7\",\"net_position\":10250.5}";

  @TempDir
  Path dir;

  private DeliveryFixture fixture;
  private StallingWebhookReceiver receiver;

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
  }

  /** Short timeouts and a lease just longer than one attempt. */
  private static DeliveryOptions shortOptions() {
    return DeliveryFixture.loopbackOptions(quickRetries(3))
      .setConnectTimeout(Duration.ofMillis(200))
      .setRequestTimeout(Duration.ofMillis(400))
      .setLease(Duration.ofMillis(1000))
      .setPollInterval(Duration.ofMillis(100));
  }

  /** Verifies that a receiver that never answers costs one timed-out attempt, which is then retried. */
  @Test
  void recordsATimeoutAndRetries(Vertx vertx) {
    // GIVEN a receiver that never answers its first request
    receiver = await(StallingWebhookReceiver.start(vertx, 1));
    String secret = fixture.createTrigger("slow", receiver.url("/slow"));
    fixture.deploy(shortOptions());

    // WHEN an event is committed
    fixture.commitEvent(EVENT, "slow", DATA);

    // THEN the first attempt is recorded as a timeout without status, and the retry delivers it
    awaitCondition("the event is delivered", () -> fixture.event(EVENT).status() == EventStatus.DELIVERED);
    List<RecordedAttempt> attempts = fixture.attempts(EVENT);
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).httpStatus()).isNull();
    assertThat(attempts.get(0).error()).startsWith("timeout");
    assertThat(attempts.get(0).durationMs()).isGreaterThanOrEqualTo(350L);
    assertThat(attempts.get(0).outcome()).isEqualTo(AttemptOutcome.RETRY);
    assertThat(attempts.get(1).httpStatus()).isEqualTo(204);
    // both requests carried the same event id, each correctly signed, with the documented headers
    assertThat(receiver.received()).extracting(ReceivedWebhook::webhookId).containsExactly(EVENT, EVENT);
    assertThat(receiver.received()).allMatch(webhook -> StandardWebhooksVerifier.verifies(secret, webhook));
    Map<String, String> headers = receiver.headers().get(1);
    assertThat(headers).containsEntry("content-type", "application/json")
      .containsEntry("user-agent", "tycostream-triggers");
  }

  /** Verifies that no more than maxInFlight requests are open at once. */
  @Test
  void keepsAtMostMaxInFlightRequestsOpen(Vertx vertx) {
    // GIVEN a receiver that answers nothing and delivery limited to two requests in flight
    receiver = await(StallingWebhookReceiver.start(vertx, Integer.MAX_VALUE));
    fixture.createTrigger("jammed", receiver.url("/jammed"));
    fixture.deploy(DeliveryFixture.loopbackOptions(quickRetries(3))
      .setMaxInFlight(2)
      .setRequestTimeout(Duration.ofSeconds(5))
      .setLease(Duration.ofSeconds(10)));

    // WHEN five events are committed
    for (int i = 0; i < 5; i++) {
      fixture.commitEvent("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + i, "jammed", DATA);
    }

    // THEN exactly two requests arrive, and no third one while they hang
    awaitCondition("two requests are open", () -> receiver.requestCount() == 2);
    DeliveryFixture.pause(500);
    assertThat(receiver.requestCount()).isEqualTo(2);
  }

  /** Verifies that an event whose delivery was cut off by a stop is re-sent, with the same id, by a new instance. */
  @Test
  void resendsAnEventInterruptedMidDelivery(Vertx vertx) {
    // GIVEN a request in flight to a receiver that holds it
    receiver = await(StallingWebhookReceiver.start(vertx, 1));
    String secret = fixture.createTrigger("crashy", receiver.url("/crashy"));
    // (a drain shorter than the request timeout: the stop abandons the request rather than waiting for its timeout)
    String first = fixture.deploy(shortOptions().setRequestTimeout(Duration.ofMillis(700))
      .setLease(Duration.ofMillis(1000)).setDrainTimeout(Duration.ofMillis(100)));
    fixture.commitEvent(EVENT, "crashy", DATA);
    awaitCondition("the first request arrives", () -> receiver.requestCount() == 1);

    // WHEN delivery stops mid-request and a new instance starts
    fixture.undeploy(first);
    assertThat(fixture.attempts(EVENT)).as("the interrupted attempt is not recorded").isEmpty();
    fixture.deploy(shortOptions());

    // THEN the event is sent again with the same id and delivered
    awaitCondition("the event is delivered", () -> fixture.event(EVENT).status() == EventStatus.DELIVERED);
    List<ReceivedWebhook> received = receiver.received();
    assertThat(received).extracting(ReceivedWebhook::eventId).containsExactly(EVENT, EVENT);
    assertThat(received.get(1).webhookId()).isEqualTo(EVENT);
    assertThat(StandardWebhooksVerifier.verifies(secret, received.get(1))).isTrue();
    assertThat(fixture.attempts(EVENT)).extracting(RecordedAttempt::httpStatus).containsExactly(204);
  }
}
