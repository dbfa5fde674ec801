package io.tycostream.triggers.delivery;

import static io.tycostream.triggers.delivery.DeliveryFixture.await;
import static io.tycostream.triggers.delivery.DeliveryFixture.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.RecordedAttempt;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that the per-endpoint circuit breaker stops requests to an endpoint that keeps failing, without spending
 * its events' attempts, while other endpoints keep receiving.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeliveryCircuitBreakerTest {

  private static final int MAX_FAILURES = 3;
  private static final Duration RESET = Duration.ofMillis(2000);
  private static final String DATA = "{\"account\":\"A-7\"}";

  @TempDir
  Path dir;

  private DeliveryFixture fixture;
  private WebhookReceiver failing;
  private WebhookReceiver healthy;

  @BeforeEach
  void setUp(Vertx vertx) {
    fixture = DeliveryFixture.open(vertx, dir);
    failing = await(WebhookReceiver.start(vertx)).respondWith(() -> 500);
    healthy = await(WebhookReceiver.start(vertx));
  }

  @AfterEach
  void tearDown() {
    fixture.close();
    await(failing.stop());
    await(healthy.stop());
  }

  /** Verifies that an endpoint's circuit opens after consecutive failures and lets one probe through after reset. */
  @Test
  void opensAfterConsecutiveFailuresAndSparesOtherEndpoints() {
    // GIVEN a trigger whose endpoint always fails, one whose endpoint works, and a retry budget longer than the test
    fixture.createTrigger("down", failing.url("/down"));
    fixture.createTrigger("up", healthy.url("/up"));
    fixture.deploy(DeliveryFixture.loopbackOptions(
        RetryPolicy.exponentialBackoff(Duration.ofMillis(300), 1.0, Duration.ofMillis(300), 50))
      .setBreakerMaxFailures(MAX_FAILURES)
      .setBreakerResetTimeout(RESET));

    // WHEN an event to the failing endpoint is retried until the circuit opens
    fixture.commitEvent("d0000000000000000000000000000001", "down", DATA);
    awaitCondition("the failing endpoint saw " + MAX_FAILURES + " requests", () -> failing.requestCount() == MAX_FAILURES);
    long openedAt = System.nanoTime();
    // and more events arrive for both endpoints
    fixture.commitEvent("d0000000000000000000000000000002", "down", DATA);
    fixture.commitEvent("u0000000000000000000000000000001", "up", DATA);
    fixture.commitEvent("u0000000000000000000000000000002", "up", DATA);

    // THEN the healthy endpoint receives its events while the failing one gets no request until the reset
    awaitCondition("the healthy endpoint's events are delivered", () -> healthy.received().size() == 2);
    assertThat(healthy.received()).extracting(ReceivedWebhook::eventId)
      .containsExactlyInAnyOrder("u0000000000000000000000000000001", "u0000000000000000000000000000002");
    DeliveryFixture.pause(Math.max(0, RESET.toMillis() / 2 - elapsedMs(openedAt)));
    assertThat(failing.requestCount()).isEqualTo(MAX_FAILURES);
    // the sends refused by the open circuit were counted as attempts without a request: they spend the budget
    assertThat(fixture.attempts("d0000000000000000000000000000002")).isNotEmpty()
      .allSatisfy(attempt -> {
        assertThat(attempt.error()).isEqualTo(EventDelivery.CIRCUIT_OPEN);
        assertThat(attempt.httpStatus()).isNull();
      });
    assertThat(fixture.event("d0000000000000000000000000000002").status()).isEqualTo(EventStatus.PENDING);

    // AND after the reset timeout exactly one probe request is let through, which fails and re-opens the circuit
    awaitCondition("the probe request arrives", () -> failing.requestCount() > MAX_FAILURES);
    assertThat(elapsedMs(openedAt)).isGreaterThanOrEqualTo(RESET.toMillis() - 100);
    DeliveryFixture.pause(500);
    assertThat(failing.requestCount()).isEqualTo(MAX_FAILURES + 1);
    long requested = java.util.stream.Stream.concat(fixture.attempts("d0000000000000000000000000000001").stream(),
        fixture.attempts("d0000000000000000000000000000002").stream())
      .filter(attempt -> attempt.httpStatus() != null).count();
    assertThat(requested).isEqualTo(MAX_FAILURES + 1);
  }

  private static long elapsedMs(long sinceNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
  }
}
