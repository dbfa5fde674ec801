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
import io.tycostream.triggers.testkit.StallingWebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that stopping delivery (as SIGTERM does, before the store closes) drains: attempts in flight are answered
 * and recorded before the stop completes, those still unanswered when the drain time ends are abandoned without a
 * record, and neither the stop nor the store closing after it logs a WARN or an ERROR.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeliveryShutdownTest {

  private static final long ANSWER_DELAY_MS = 300;
  private static final String DATA = "{\"account\":\"A-7\",\"net_position\":10250.5}";
  private static final List<String> EVENTS = List.of("a0000000000000000000000000000001",
    "a0000000000000000000000000000002", "a0000000000000000000000000000003");

  @TempDir
  Path dir;

  private DeliveryFixture fixture;
  private CapturedLog log;
  private HttpServer slowReceiver;
  private StallingWebhookReceiver stallingReceiver;

  @BeforeEach
  void setUp(Vertx vertx) {
    fixture = DeliveryFixture.open(vertx, dir);
    log = CapturedLog.attach();
  }

  @AfterEach
  void tearDown() {
    fixture.close();
    if (slowReceiver != null) {
      await(slowReceiver.close());
    }
    if (stallingReceiver != null) {
      await(stallingReceiver.stop());
    }
    log.close();
  }

  /** Verifies that a stop waits for the attempts in flight and records them as delivered, logging nothing bad. */
  @Test
  void recordsTheOutcomesOfAttemptsInFlightBeforeStopping(Vertx vertx) {
    // GIVEN a receiver that answers 204 after 300 ms, and three requests in flight to it
    AtomicInteger arrived = new AtomicInteger();
    slowReceiver = await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
      .requestHandler(request -> {
        arrived.incrementAndGet();
        vertx.setTimer(ANSWER_DELAY_MS, answer -> request.response().setStatusCode(204).end());
      })
      .listen());
    fixture.createTrigger("slow", "http://127.0.0.1:" + slowReceiver.actualPort() + "/hooks");
    // a drain far longer than the answers take: the stop ends as soon as they are recorded
    String deployment = fixture.deploy(loopbackOptions(quickRetries(3)).setDrainTimeout(Duration.ofSeconds(10)));
    EVENTS.forEach(id -> fixture.commitEvent(id, "slow", DATA));
    awaitCondition("three requests are in flight", () -> arrived.get() == EVENTS.size());

    // WHEN delivery is undeployed, then the store closed, as on SIGTERM
    fixture.undeploy(deployment);
    List<EventStatus> statuses = EVENTS.stream().map(id -> fixture.event(id).status()).toList();
    List<List<RecordedAttempt>> attempts = EVENTS.stream().map(fixture::attempts).toList();
    fixture.close();

    // THEN by the time the undeploy completed, every event was recorded as delivered by its one attempt
    assertThat(statuses).containsOnly(EventStatus.DELIVERED);
    assertThat(attempts).allSatisfy(recorded -> assertThat(recorded).singleElement()
      .satisfies(attempt -> assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.DELIVERED)));
    // AND nothing was logged at WARN or ERROR
    assertThat(log.atLeast(Level.WARN)).isEmpty();
  }

  /** Verifies that an attempt unanswered when the drain time ends is abandoned quietly, without a record. */
  @Test
  void abandonsAttemptsStillUnansweredWhenTheDrainTimeEnds(Vertx vertx) {
    // GIVEN a request in flight to a receiver that never answers, with a drain far shorter than the request timeout
    stallingReceiver = await(StallingWebhookReceiver.start(vertx, 1));
    fixture.createTrigger("hung", stallingReceiver.url("/hooks"));
    String deployment = fixture.deploy(loopbackOptions(quickRetries(3))
      .setRequestTimeout(Duration.ofSeconds(10))
      .setLease(Duration.ofSeconds(20))
      .setDrainTimeout(Duration.ofMillis(200)));
    fixture.commitEvent(EVENTS.get(0), "hung", DATA);
    awaitCondition("the request is in flight", () -> stallingReceiver.requestCount() == 1);

    // WHEN delivery is undeployed, then the store closed
    fixture.undeploy(deployment);
    EventStatus status = fixture.event(EVENTS.get(0)).status();
    List<RecordedAttempt> attempts = fixture.attempts(EVENTS.get(0));
    fixture.close();

    // THEN the attempt is not recorded (no timeout, no failure): the event stays pending, sent again after a restart
    assertThat(status).isEqualTo(EventStatus.PENDING);
    assertThat(attempts).isEmpty();
    // AND the stop said so at INFO, and nothing was logged at WARN or ERROR
    assertThat(log.atLeast(Level.INFO)).anySatisfy(line -> assertThat(line)
      .contains("delivery stopped with attempts in flight, abandoned; they are sent again after a restart "
        + "[in flight: 1"));
    assertThat(log.atLeast(Level.WARN)).isEmpty();
  }
}
