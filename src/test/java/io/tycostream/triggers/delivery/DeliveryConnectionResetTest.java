package io.tycostream.triggers.delivery;

import static io.tycostream.triggers.delivery.DeliveryFixture.await;
import static io.tycostream.triggers.delivery.DeliveryFixture.awaitCondition;
import static io.tycostream.triggers.delivery.DeliveryFixture.loopbackOptions;
import static io.tycostream.triggers.delivery.DeliveryFixture.quickRetries;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.tycostream.triggers.store.AttemptOutcome;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.RecordedAttempt;
import io.tycostream.triggers.testkit.CapturedLog;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that a receiver resetting its connection costs one failed, retried attempt, logged once at WARN with the
 * trigger and the endpoint, and that neither a reset mid-request nor one of an idle keep-alive connection makes
 * Vert.x log an ERROR without context.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeliveryConnectionResetTest {

  private static final String EVENT_1 = "0123456789abcdef0123456789abcdef";
  private static final String EVENT_2 = "fedcba9876543210fedcba9876543210";
  private static final String DATA = "{\"account\":\"A-7\",\"net_position\":10250.5}";

  @TempDir
  Path dir;

  private DeliveryFixture fixture;
  private ResettingWebhookReceiver receiver;
  private CapturedLog log;

  @BeforeEach
  void setUp(Vertx vertx) {
    fixture = DeliveryFixture.open(vertx, dir);
    log = CapturedLog.attach();
  }

  @AfterEach
  void tearDown() {
    fixture.close();
    if (receiver != null) {
      await(receiver.stop());
    }
    log.close();
  }

  /** Verifies that a reset mid-request is one failed attempt with a connection-reset error, one WARN, no ERROR. */
  @Test
  void recordsAResetMidRequestAsOneFailedAttemptAndRetries(Vertx vertx) {
    // GIVEN a receiver that reads the first request and answers it with a reset, then accepts
    receiver = await(ResettingWebhookReceiver.start(vertx, request -> request == 1));
    fixture.createTrigger("reset_mid", receiver.url("/hooks"));
    fixture.deploy(loopbackOptions(quickRetries(3)));

    // WHEN an event is committed
    fixture.commitEvent(EVENT_1, "reset_mid", DATA);

    // THEN it is delivered by the retry, after one failed attempt recorded with the reset and no status
    awaitCondition("the event is delivered", () -> fixture.event(EVENT_1).status() == EventStatus.DELIVERED);
    List<RecordedAttempt> attempts = fixture.attempts(EVENT_1);
    assertThat(attempts).extracting(RecordedAttempt::outcome)
      .containsExactly(AttemptOutcome.RETRY, AttemptOutcome.DELIVERED);
    assertThat(attempts.get(0).httpStatus()).isNull();
    assertThat(attempts.get(0).error()).isEqualTo("connection error: Connection reset");
    assertThat(receiver.requestCount()).isEqualTo(2);

    // AND the log holds one WARN naming the trigger and the endpoint, and nothing at ERROR
    assertThat(log.atLeast(Level.WARN)).singleElement().asString()
      .startsWith("WARN " + EventDelivery.class.getName() + " - delivery attempt failed [trigger: reset_mid, "
        + "endpoint: " + receiver.endpoint() + ", event: " + EVENT_1)
      .contains("error: connection error: Connection reset");
  }

  /** Verifies that a reset of a kept-alive connection idling in the pool logs no ERROR and loses no event. */
  @Test
  void logsNoErrorWhenAnIdleKeepAliveConnectionIsReset(Vertx vertx) {
    // GIVEN a receiver that accepts every request and keeps its connections alive, and one event delivered
    receiver = await(ResettingWebhookReceiver.start(vertx, request -> false));
    fixture.createTrigger("reset_idle", receiver.url("/hooks"));
    fixture.deploy(loopbackOptions(quickRetries(3)));
    fixture.commitEvent(EVENT_1, "reset_idle", DATA);
    awaitCondition("the first event is delivered", () -> fixture.event(EVENT_1).status() == EventStatus.DELIVERED);

    // WHEN the receiver resets the connection the client keeps idle, and another event is committed
    await(receiver.resetOpenConnections());
    fixture.commitEvent(EVENT_2, "reset_idle", DATA);

    // THEN the second event is delivered on a new connection (a request that raced the reset is a retried attempt)
    awaitCondition("the second event is delivered", () -> fixture.event(EVENT_2).status() == EventStatus.DELIVERED);
    assertThat(receiver.connectionCount()).isGreaterThanOrEqualTo(2);
    List<RecordedAttempt> attempts = fixture.attempts(EVENT_2);
    assertThat(attempts.get(attempts.size() - 1).httpStatus()).isEqualTo(204);
    assertThat(attempts.subList(0, attempts.size() - 1)).allSatisfy(failed ->
      assertThat(failed.error()).startsWith("connection error"));

    // AND nothing was logged at ERROR; a WARN, if any, is the raced attempt's, naming its trigger and endpoint
    assertThat(log.atLeast(Level.ERROR)).isEmpty();
    assertThat(log.atLeast(Level.WARN)).hasSize(attempts.size() - 1).allSatisfy(line -> assertThat(line)
      .contains("[trigger: reset_idle, endpoint: " + receiver.endpoint() + ", "));
  }
}
