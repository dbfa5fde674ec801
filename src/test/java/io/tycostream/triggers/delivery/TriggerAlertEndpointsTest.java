package io.tycostream.triggers.delivery;

import static io.tycostream.triggers.delivery.DeliveryFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.StoredTrigger;
import io.tycostream.triggers.store.TriggerUpdate;
import io.tycostream.triggers.testkit.StandardWebhooksVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that an alert stored for {@code trigger:<name>} is resolved, at send time and from a real SQLite store,
 * to the trigger's current alert_url and secret (both during a rotation overlap), and to a reason to give it up once
 * the trigger lost its alert_url or was deleted.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TriggerAlertEndpointsTest {

  private static final String NAME = "trigger:watched";
  private static final byte[] BODY = "{\"event_type\":\"TRIGGER_FAILING\"}".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dir;

  private DeliveryFixture fixture;
  private TriggerAlertEndpoints endpoints;

  @BeforeEach
  void open(Vertx vertx) {
    fixture = DeliveryFixture.open(vertx, dir);
    endpoints = new TriggerAlertEndpoints(fixture.store);
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  /** Verifies that a trigger's alert_url resolves to that URL, signed with the trigger's secret. */
  @Test
  void resolvesToTheAlertUrlSignedWithTheTriggersSecret() {
    // GIVEN a stored trigger with an alert_url
    String secret = createWatched("https://ops.example.com:8443/alerts?team=risk");

    // WHEN its alert name is resolved
    TriggerAlertEndpoints.Resolution resolved = await(endpoints.resolve(NAME, "watched"));

    // THEN it is the alert_url (not the webhook URL), and what it signs verifies with the trigger's secret
    assertThat(resolved.problem()).isNull();
    AlertEndpoint endpoint = resolved.endpoint();
    assertThat(endpoint.name()).isEqualTo(NAME);
    assertThat(endpoint.target().host()).isEqualTo("ops.example.com");
    assertThat(endpoint.target().port()).isEqualTo(8443);
    assertThat(endpoint.target().requestUri()).isEqualTo("/alerts?team=risk");
    WebhookHeaders headers = endpoint.signerAt(Instant.now()).sign("a1", Instant.now(), BODY);
    assertThat(StandardWebhooksVerifier.verifies(secret, "a1", headers.timestamp(), BODY, headers.signature()))
        .isTrue();
  }

  /** Verifies that during a rotation overlap both secrets sign, and after it only the new one. */
  @Test
  void signsWithBothSecretsDuringARotationOverlap() {
    // GIVEN a trigger whose secret was rotated with an hour of overlap
    String first = createWatched("https://ops.example.com/alerts");
    String second = WebhookSecret.generate(new SecureRandom()).value();
    Instant overlapEnds = Instant.now().plus(1, ChronoUnit.HOURS);
    await(fixture.store.rotateSecret("watched", second, overlapEnds, "test"));

    // WHEN it is resolved and signs now, and after the overlap
    AlertEndpoint endpoint = await(endpoints.resolve(NAME, "watched")).endpoint();
    WebhookHeaders now = endpoint.signerAt(Instant.now()).sign("a1", Instant.now(), BODY);
    WebhookHeaders later = endpoint.signerAt(overlapEnds.plusSeconds(1)).sign("a1", Instant.now(), BODY);

    // THEN now either secret verifies, later only the new one
    assertThat(StandardWebhooksVerifier.verifies(first, "a1", now.timestamp(), BODY, now.signature())).isTrue();
    assertThat(StandardWebhooksVerifier.verifies(second, "a1", now.timestamp(), BODY, now.signature())).isTrue();
    assertThat(StandardWebhooksVerifier.verifies(first, "a1", later.timestamp(), BODY, later.signature())).isFalse();
    assertThat(StandardWebhooksVerifier.verifies(second, "a1", later.timestamp(), BODY, later.signature())).isTrue();
  }

  /** Verifies that a trigger whose alert_url was removed, or that was deleted, resolves to a reason, not a target. */
  @Test
  void givesAReasonOnceTheAlertUrlOrTheTriggerIsGone() {
    // GIVEN a trigger with an alert_url, then updated without it
    createWatched("https://ops.example.com/alerts");
    StoredTrigger stored = await(fixture.store.getTrigger("watched")).orElseThrow();
    JsonObject without = new JsonObject(stored.definitionJson());
    without.remove("alert_url");
    await(fixture.store.updateTrigger(new TriggerUpdate("watched", stored.version(), without.encode(), true, false,
        "test")));

    // WHEN it is resolved, THEN the alert_url is reported gone
    TriggerAlertEndpoints.Resolution removed = await(endpoints.resolve(NAME, "watched"));
    assertThat(removed.endpoint()).isNull();
    assertThat(removed.problem()).isEqualTo(TriggerAlertEndpoints.ALERT_URL_REMOVED);

    // WHEN the trigger is deleted (or never existed), THEN the trigger is reported gone
    await(fixture.store.deleteTrigger("watched"));
    assertThat(await(endpoints.resolve(NAME, "watched")).problem()).isEqualTo(TriggerAlertEndpoints.TRIGGER_DELETED);
    assertThat(await(endpoints.resolve("trigger:nobody", "nobody")).problem())
        .isEqualTo(TriggerAlertEndpoints.TRIGGER_DELETED);
  }

  /** Stores the trigger "watched" with {@code alertUrl} and returns its secret. */
  private String createWatched(String alertUrl) {
    String secret = WebhookSecret.generate(new SecureRandom()).value();
    String definition = new JsonObject().put("name", "watched").put("source", DeliveryFixture.SOURCE)
        .put("webhook", new JsonObject().put("url", "https://hooks.example.com/in"))
        .put("fire", new JsonObject().put("net_position", new JsonObject().put("_gt", 10000)))
        .put("alert_url", alertUrl).encode();
    await(fixture.store.createTrigger(new NewTrigger("watched", DeliveryFixture.SOURCE, definition, secret)));
    return secret;
  }
}
