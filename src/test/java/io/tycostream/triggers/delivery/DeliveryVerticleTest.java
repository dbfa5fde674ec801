package io.tycostream.triggers.delivery;

import static io.tycostream.triggers.delivery.DeliveryFixture.await;
import static io.tycostream.triggers.delivery.DeliveryFixture.awaitCondition;
import static io.tycostream.triggers.delivery.DeliveryFixture.loopbackOptions;
import static io.tycostream.triggers.delivery.DeliveryFixture.quickRetries;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.store.AttemptOutcome;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.store.SourceCommit;
import io.tycostream.triggers.store.RecordedAttempt;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.tycostream.triggers.testkit.StandardWebhooksVerifier;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that the delivery verticle sends committed outbox events as signed webhooks to a real loopback receiver,
 * records every attempt, retries failures and dead-letters an event whose retry policy is spent.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeliveryVerticleTest {

  private static final String EVENT_1 = "0123456789abcdef0123456789abcdef";
  private static final String EVENT_2 = "fedcba9876543210fedcba9876543210";
  private static final String DATA_1 = "{\"account\":\"A-7\",\"net_position\":10250.50000000000000000001}";
  private static final String DATA_2 = "{\"account\":\"B-1\",\"net_position\":20000}";

  @TempDir
  Path dir;

  private DeliveryFixture fixture;
  private WebhookReceiver receiver;

  @BeforeEach
  void setUp(Vertx vertx) {
    fixture = DeliveryFixture.open(vertx, dir);
    receiver = await(WebhookReceiver.start(vertx));
  }

  @AfterEach
  void tearDown() {
    fixture.close();
    await(receiver.stop());
  }

  /** Verifies that each committed event is POSTed once, signed under its trigger's secret, and marked delivered. */
  @Test
  void deliversEachCommittedEventOnceWithAVerifiableSignature() {
    // GIVEN a trigger posting to the receiver and delivery running
    String secret = fixture.createTrigger("risk_alert", receiver.url("/hooks/risk"));
    fixture.deploy(loopbackOptions(quickRetries(3)));

    // WHEN two events are committed
    fixture.commitEvent(EVENT_1, "risk_alert", DATA_1);
    fixture.commitEvent(EVENT_2, "risk_alert", DATA_2);

    // THEN the receiver gets each exactly once, signed, with the event's fields
    awaitCondition("both events are delivered", () ->
      fixture.event(EVENT_1).status() == EventStatus.DELIVERED && fixture.event(EVENT_2).status() == EventStatus.DELIVERED);
    List<ReceivedWebhook> received = receiver.received();
    assertThat(received).extracting(ReceivedWebhook::eventId).containsExactlyInAnyOrder(EVENT_1, EVENT_2);
    assertThat(receiver.requestCount()).isEqualTo(2);
    for (ReceivedWebhook webhook : received) {
      assertThat(StandardWebhooksVerifier.verifies(secret, webhook)).as("signature of %s", webhook.eventId()).isTrue();
      assertThat(webhook.webhookId()).isEqualTo(webhook.eventId());
    }
    ReceivedWebhook first = received.stream().filter(w -> w.eventId().equals(EVENT_1)).findFirst().orElseThrow();
    JsonObject body = first.json();
    assertThat(body.getString("event_type")).isEqualTo("FIRE");
    assertThat(body.getString("trigger_name")).isEqualTo("risk_alert");
    assertThat(body.getValue("source_timestamp")).isEqualTo("1705316445123");
    assertThat(body.getString("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    // the data keeps every digit of the row: compare the raw body text, not a parsed double
    assertThat(first.body().toString()).contains("\"data\":" + DATA_1);

    // AND the store shows one successful attempt with its status and duration
    List<RecordedAttempt> attempts = fixture.attempts(EVENT_1);
    assertThat(attempts).hasSize(1);
    assertThat(attempts.get(0).httpStatus()).isEqualTo(204);
    assertThat(attempts.get(0).error()).isNull();
    assertThat(attempts.get(0).outcome()).isEqualTo(AttemptOutcome.DELIVERED);
    assertThat(attempts.get(0).durationMs()).isBetween(0L, 2000L);
    assertThat(fixture.event(EVENT_1).attempts()).isEqualTo(1);
  }

  /** Verifies that an event committed without a wake-up is still found by the poll timer. */
  @Test
  void findsEventsWithoutAWakeUp() {
    // GIVEN delivery running and a trigger
    fixture.createTrigger("quiet", receiver.url("/quiet"));
    fixture.deploy(loopbackOptions(quickRetries(3)));

    // WHEN an event is committed and nobody publishes delivery.wake
    NewEvent clear = new NewEvent(EVENT_1, "quiet", "CLEAR", DeliveryFixture.SOURCE_TIMESTAMP, "[1]", DATA_2);
    await(fixture.store.commit(SourceCommit.of(DeliveryFixture.SOURCE, BigInteger.TEN, List.of(clear), List.of())));

    // THEN it is delivered anyway
    awaitCondition("the event is delivered", () -> fixture.event(EVENT_1).status() == EventStatus.DELIVERED);
    assertThat(receiver.received()).extracting(ReceivedWebhook::eventType).containsExactly("CLEAR");
  }

  /** Verifies that failed attempts are retried and each one is recorded until the receiver accepts. */
  @Test
  void retriesServerErrorsUntilDelivered() {
    // GIVEN a receiver that answers 500 twice, then 204
    AtomicInteger calls = new AtomicInteger();
    receiver.respondWith(() -> calls.incrementAndGet() <= 2 ? 500 : 204);
    fixture.createTrigger("flaky", receiver.url("/flaky"));
    fixture.deploy(loopbackOptions(quickRetries(5)));

    // WHEN an event is committed
    fixture.commitEvent(EVENT_1, "flaky", DATA_1);

    // THEN it is delivered on the third attempt, with all three attempts recorded
    awaitCondition("the event is delivered", () -> fixture.event(EVENT_1).status() == EventStatus.DELIVERED);
    List<RecordedAttempt> attempts = fixture.attempts(EVENT_1);
    assertThat(attempts).extracting(RecordedAttempt::httpStatus).containsExactly(500, 500, 204);
    assertThat(attempts).extracting(RecordedAttempt::outcome)
      .containsExactly(AttemptOutcome.RETRY, AttemptOutcome.RETRY, AttemptOutcome.DELIVERED);
    assertThat(attempts.get(0).error()).isEqualTo("HTTP 500: receiver error");
    assertThat(receiver.requestCount()).isEqualTo(3);
    assertThat(receiver.received()).extracting(ReceivedWebhook::eventId).containsExactly(EVENT_1);
  }

  /** Verifies that an event whose every attempt fails is dead-lettered once the retry policy is spent. */
  @Test
  void deadLettersAfterTheLastAllowedAttempt() {
    // GIVEN a receiver that always answers 500 and a policy of three attempts
    receiver.respondWith(() -> 500);
    fixture.createTrigger("broken", receiver.url("/broken"));
    fixture.deploy(loopbackOptions(quickRetries(3)));

    // WHEN an event is committed
    fixture.commitEvent(EVENT_1, "broken", DATA_1);

    // THEN it is dead after exactly three attempts, and no fourth request is made
    awaitCondition("the event is dead", () -> fixture.event(EVENT_1).status() == EventStatus.DEAD);
    assertThat(fixture.event(EVENT_1).attempts()).isEqualTo(3);
    assertThat(fixture.attempts(EVENT_1)).extracting(RecordedAttempt::outcome)
      .containsExactly(AttemptOutcome.RETRY, AttemptOutcome.RETRY, AttemptOutcome.DEAD);
    assertThat(fixture.event(EVENT_1).lastError()).isEqualTo("HTTP 500: receiver error");
    DeliveryFixture.pause(300);
    assertThat(receiver.requestCount()).isEqualTo(3);
  }

  /** Verifies that a loopback target is refused when private targets are not allowed: nothing reaches it. */
  @Test
  void refusesPrivateTargetsUnlessAllowed() {
    // GIVEN delivery that refuses private targets and a trigger pointing at loopback
    fixture.createTrigger("internal", receiver.url("/admin"));
    fixture.deploy(loopbackOptions(quickRetries(2)).setAllowPrivateTargets(false));

    // WHEN an event is committed
    fixture.commitEvent(EVENT_1, "internal", DATA_1);

    // THEN each attempt fails with the refusal, the event ends dead, and the receiver saw no request
    awaitCondition("the event is dead", () -> fixture.event(EVENT_1).status() == EventStatus.DEAD);
    List<RecordedAttempt> attempts = fixture.attempts(EVENT_1);
    assertThat(attempts).extracting(RecordedAttempt::error)
      .containsExactly("target address not allowed", "target address not allowed");
    assertThat(attempts).extracting(RecordedAttempt::httpStatus).containsOnlyNulls();
    assertThat(receiver.requestCount()).isZero();
  }

  /** Verifies that a deleted trigger's events are not sent. */
  @Test
  void sendsNothingForADeletedTrigger() {
    // GIVEN an event committed for a trigger that is then deleted, before delivery starts
    fixture.createTrigger("gone", receiver.url("/gone"));
    fixture.commitEvent(EVENT_1, "gone", DATA_1);
    await(fixture.store.deleteTrigger("gone"));
    // and a live trigger, so there is proof delivery ran
    fixture.createTrigger("alive", receiver.url("/alive"));
    fixture.commitEvent(EVENT_2, "alive", DATA_2);

    // WHEN delivery runs
    fixture.deploy(loopbackOptions(quickRetries(3)));

    // THEN only the live trigger's event arrives
    awaitCondition("the live event is delivered", () -> fixture.event(EVENT_2).status() == EventStatus.DELIVERED);
    Set<String> ids = receiver.received().stream().map(ReceivedWebhook::eventId).collect(Collectors.toSet());
    assertThat(ids).containsExactly(EVENT_2);
  }

  /** Verifies that an event leased after its trigger vanished is dead-lettered as "trigger deleted", not sent. */
  @Test
  void deadLettersAnEventWhoseTriggerVanished() {
    // GIVEN a pending event whose trigger row is gone (as in a deletion racing a claim)
    fixture.createTrigger("vanished", receiver.url("/vanished"));
    fixture.commitEvent(EVENT_1, "vanished", DATA_1);
    fixture.executeSql("DELETE FROM triggers WHERE name = 'vanished'");

    // WHEN delivery runs
    fixture.deploy(loopbackOptions(quickRetries(3)));

    // THEN the event is dead with the reason, and nothing was sent
    awaitCondition("the event is dead", () -> fixture.event(EVENT_1).status() == EventStatus.DEAD);
    assertThat(fixture.attempts(EVENT_1)).extracting(RecordedAttempt::error).containsExactly("trigger deleted");
    assertThat(receiver.requestCount()).isZero();
  }
}
