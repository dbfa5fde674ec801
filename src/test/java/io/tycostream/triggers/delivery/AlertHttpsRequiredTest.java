package io.tycostream.triggers.delivery;

import static io.tycostream.triggers.delivery.DeliveryFixture.await;
import static io.tycostream.triggers.delivery.DeliveryFixture.awaitCondition;
import static io.tycostream.triggers.delivery.DeliveryFixture.loopbackOptions;
import static io.tycostream.triggers.delivery.DeliveryFixture.quickRetries;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.definition.WebhookTarget;
import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.tycostream.triggers.store.NewAlert;
import io.tycostream.triggers.store.StoredAlert;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that {@code delivery.require_https} holds for alert endpoints at delivery time as for trigger webhooks:
 * an alert to an {@code http://} endpoint fails each attempt without a connection, recorded with the setting's name,
 * while the same endpoint is reached once https is not required (so the refusal is the setting's doing).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AlertHttpsRequiredTest {

  @TempDir
  Path dir;

  private DeliveryFixture fixture;
  private WebhookReceiver receiver;
  private String deployment;

  @AfterEach
  void tearDown(Vertx vertx) {
    if (deployment != null) {
      await(vertx.undeploy(deployment));
    }
    if (fixture != null) {
      fixture.close();
    }
    if (receiver != null) {
      await(receiver.stop());
    }
  }

  /** Verifies that an alert to an http endpoint is refused without connecting while https is required. */
  @Test
  void refusesAnHttpAlertEndpointWithoutConnecting(Vertx vertx) {
    // GIVEN a plain HTTP receiver on loopback (allowed as a target) configured as an alert endpoint
    fixture = DeliveryFixture.open(vertx, dir);
    receiver = await(WebhookReceiver.start(vertx));
    AlertEndpoint ops = new AlertEndpoint("ops", WebhookTarget.parse(receiver.url("/alerts")),
        WebhookSecret.generate(new SecureRandom()));
    await(fixture.store.alerts().insert(List.of(alert("a0000000000000000000000000000001"))));

    // WHEN alert delivery runs with https required and two attempts per alert
    String required = await(vertx.deployVerticle(new AlertDeliveryVerticle(fixture.store,
        loopbackOptions(quickRetries(2)).setRequireHttps(true), List.of(ops))));

    // THEN the alert is dead after its attempts, each refused with the setting's name, and nothing was connected
    awaitCondition("the alert's attempts are over", () -> "dead".equals(alertNamed("a0000000000000000000000000000001")
        .status()));
    StoredAlert refused = alertNamed("a0000000000000000000000000000001");
    assertThat(refused.attempts()).isEqualTo(2);
    assertThat(refused.lastError()).endsWith(WebhookTargetPolicy.HTTPS_REQUIRED);
    assertThat(receiver.requestCount()).isZero();

    // AND WHEN https is not required, the next alert reaches the same endpoint
    await(vertx.undeploy(required));
    await(fixture.store.alerts().insert(List.of(alert("a0000000000000000000000000000002"))));
    deployment = await(vertx.deployVerticle(new AlertDeliveryVerticle(fixture.store,
        loopbackOptions(quickRetries(2)).setRequireHttps(false), List.of(ops))));
    awaitCondition("the second alert is delivered",
        () -> "delivered".equals(alertNamed("a0000000000000000000000000000002").status()));
    assertThat(receiver.requestCount()).isEqualTo(1);
  }

  private static NewAlert alert(String eventId) {
    return new NewAlert("ops", eventId, "SOURCE_DISCONNECTED", "{\"source\":\"positions\"}",
        System.currentTimeMillis());
  }

  private StoredAlert alertNamed(String eventId) {
    return await(fixture.store.alerts().list("ops", 10)).stream()
        .filter(alert -> alert.eventId().equals(eventId)).findFirst().orElseThrow();
  }
}
