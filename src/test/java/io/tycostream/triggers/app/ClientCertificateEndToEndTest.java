package io.tycostream.triggers.app;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.config.ClientCertificateConfig;
import io.tycostream.triggers.config.DeliveryConfig;
import io.tycostream.triggers.config.DeliveryTlsConfig;
import io.tycostream.triggers.config.TriggersConfig;
import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.definition.TriggerDefinitionParser.Checks;
import io.tycostream.triggers.definition.TriggerDefinitionParser.ParsedTrigger;
import io.tycostream.triggers.delivery.RetryPolicy;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.testkit.ClientCertificateSet;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-trigger client certificates the way a user sees them (#9 item 5): {@code delivery.tls.client_certificates}
 * configured, triggers created and patched over the API, events from the wire emulator, delivered to a real HTTPS
 * receiver on loopback that requires a client certificate of one CA. An unknown name is a 400 naming
 * {@code webhook.client_certificate}; a PATCH switching the certificate applies to the event still waiting for its
 * retry; {@code "client_certificate": null} goes back to the global certificate; a configured trigger naming a
 * certificate is created and presents it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientCertificateEndToEndTest {

  private static final String TRIGGER = "/api/v1/triggers/partner_alert";

  @TempDir
  static Path certificates;
  private static ClientCertificateSet certs;

  @TempDir
  Path dataDir;

  private HttpServer receiver;
  private EmulatedService service;
  /** {@code subject} of every request the receiver accepted, in order. */
  private final List<String> received = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void makeCertificates() {
    certs = ClientCertificateSet.create(certificates, "e2e-");
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    // GIVEN a receiver requiring a client certificate of the trusted CA only, and the service configured with the
    // global certificate (trusted CA) and two named ones: a (trusted CA) and b (another CA)
    receiver = await(certs.startReceiver(vertx, request -> request.body().onSuccess(body -> {
      received.add(ClientCertificateSet.subjectOf(request));
      request.response().setStatusCode(204).end();
    })));
    service = EmulatedService.start(vertx, dataDir, ClientCertificateEndToEndTest::withCertificates,
        application -> application.deliveryOptions()
            .setRetryPolicy(RetryPolicy.exponentialBackoff(Duration.ofMillis(200), 1.0, Duration.ofMillis(200), 500))
            .setConnectTimeout(Duration.ofSeconds(5)),
        EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("score", PgType.INT4));
  }

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
    await(receiver.close());
  }

  /** Verifies that a name the configuration does not have is refused at creation and in a patch, listing the names. */
  @Test
  void refusesAnUnknownCertificateName() {
    // WHEN a trigger names certificate "nope"
    HttpResponse<Buffer> created = service.createWhenSourceReady(trigger("nope").encode());

    // THEN 400 naming the field and the configured names, and nothing is stored
    assertThat(created.statusCode()).isEqualTo(400);
    JsonObject error = created.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("field")).isEqualTo("webhook.client_certificate");
    assertThat(error.getString("message")).contains("'nope'").contains("a, b");
    assertThat(service.get("/api/v1/triggers").getJsonArray("triggers")).isEmpty();

    // AND a patch to an unknown name is refused the same way, the trigger unchanged
    assertThat(service.createWhenSourceReady(trigger("a").encode()).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> patched = service.patch(TRIGGER, "{\"webhook\": {\"client_certificate\": \"nope\"}}");
    assertThat(patched.statusCode()).isEqualTo(400);
    assertThat(patched.bodyAsJsonObject().getJsonObject("error").getString("field"))
        .isEqualTo("webhook.client_certificate");
    assertThat(service.get(TRIGGER).getJsonObject("webhook").getString("client_certificate")).isEqualTo("a");
  }

  /**
   * Verifies that an event failing with certificate b (a CA the receiver does not trust) is delivered with a once a
   * PATCH switches the trigger to a, and that removing the name goes back to the global certificate.
   */
  @Test
  void aPatchedCertificateAppliesToEventsNotDeliveredYet() {
    // GIVEN a trigger presenting b, and a row that fires it: its attempts fail the handshake and are retried
    HttpResponse<Buffer> created = service.createWhenSourceReady(trigger("b").encode());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getJsonObject("webhook").getString("client_certificate")).isEqualTo("b");
    // a row written before the baseline is part of it (no FIRE without include_snapshot): wait for it first
    awaitTrue(() -> "active".equals(service.get(TRIGGER).getString("status")));
    service.emulator.insert(EmulatedService.SOURCE, 1, 150);
    awaitTrue(() -> lastErrors().stream().anyMatch(error -> error.startsWith("tls error")));
    assertThat(received).isEmpty();

    // WHEN a PATCH switches it to a
    HttpResponse<Buffer> patched = service.patch(TRIGGER, "{\"webhook\": {\"client_certificate\": \"a\"}}");
    assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);

    // THEN the waiting event is delivered with a's certificate, the URL unchanged
    awaitTrue(() -> received.size() == 1);
    assertThat(received).containsExactly(certs.partnerA().subject());
    JsonObject webhook = service.get(TRIGGER).getJsonObject("webhook");
    assertThat(webhook.getString("url")).isEqualTo(url());
    assertThat(webhook.getString("client_certificate")).isEqualTo("a");

    // WHEN the name is removed THEN the next event goes with the global certificate
    HttpResponse<Buffer> removed = service.patch(TRIGGER, "{\"webhook\": {\"client_certificate\": null}}");
    assertThat(removed.statusCode()).as(removed.bodyAsString()).isEqualTo(200);
    assertThat(removed.bodyAsJsonObject().getJsonObject("webhook").containsKey("client_certificate")).isFalse();
    service.emulator.insert(EmulatedService.SOURCE, 2, 160);
    awaitTrue(() -> received.size() == 2);
    assertThat(received).containsExactly(certs.partnerA().subject(), certs.global().subject());
  }

  /**
   * Verifies that a trigger of the configuration's {@code triggers:} list naming a configured certificate is created
   * at start-up and delivered with that certificate.
   */
  @Test
  void aConfiguredTriggerPresentsItsCertificate(Vertx vertx, @TempDir Path otherDataDir) {
    // GIVEN the service restarted with a configured trigger naming a
    service.close();
    service = null;
    ParsedTrigger configured = TriggerDefinitionParser.parseRequest(trigger("a").encode(), Checks.NONE);
    service = EmulatedService.start(vertx, otherDataDir, config -> withTriggers(withCertificates(config),
            List.of(configured)), application -> { },
        EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("score", PgType.INT4));
    awaitTrue(() -> service.get("/api/v1/triggers").getJsonArray("triggers").size() == 1);
    assertThat(service.get(TRIGGER).getJsonObject("webhook").getString("client_certificate")).isEqualTo("a");

    // WHEN a row fires it (written after the baseline, so it is a live change)
    awaitTrue(() -> "active".equals(service.get(TRIGGER).getString("status")));
    service.emulator.insert(EmulatedService.SOURCE, 1, 150);

    // THEN the receiver sees a's certificate
    awaitTrue(() -> received.size() == 1);
    assertThat(received).containsExactly(certs.partnerA().subject());
  }

  private JsonObject trigger(String certificate) {
    return new JsonObject().put("name", "partner_alert").put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", url()).put("client_certificate", certificate))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gt", 100)));
  }

  private String url() {
    return "https://localhost:" + receiver.actualPort() + "/partner";
  }

  /** The {@code last_error} of the trigger's events. */
  private List<String> lastErrors() {
    JsonArray events = service.get(TRIGGER + "/events").getJsonArray("events");
    return events.stream().map(JsonObject.class::cast).map(event -> event.getString("last_error"))
        .filter(error -> error != null).toList();
  }

  /** The test's configuration with the certificates, the receiver's CA trusted and localhost allowed. */
  private static TriggersConfig withCertificates(TriggersConfig config) {
    DeliveryConfig d = config.delivery();
    DeliveryTlsConfig tls = new DeliveryTlsConfig(certs.server().certificatePem(), certs.global().certificatePem(),
        certs.global().privateKeyPem(), List.of(
            new ClientCertificateConfig("a", certs.partnerA().certificatePem(), certs.partnerA().privateKeyPem()),
            new ClientCertificateConfig("b", certs.partnerB().certificatePem(), certs.partnerB().privateKeyPem())));
    DeliveryConfig delivery = new DeliveryConfig(d.allowPrivateTargets(), d.connectTimeoutMs(), d.requestTimeoutMs(),
        d.maxInFlight(), d.maxInFlightPerEndpoint(), d.historyRetentionHours(), true,
        List.of("127.0.0.1", "localhost"), tls);
    return new TriggersConfig(config.admin(), config.sources(), config.dataDir(), delivery, config.triggers(),
        config.demoReceiver(), config.store(), config.cluster(), config.secrets(), config.alerts(), config.logging(),
        config.metrics());
  }

  private static TriggersConfig withTriggers(TriggersConfig config, List<ParsedTrigger> triggers) {
    return new TriggersConfig(config.admin(), config.sources(), config.dataDir(), config.delivery(), triggers,
        config.demoReceiver(), config.store(), config.cluster(), config.secrets(), config.alerts(), config.logging(),
        config.metrics());
  }

}
