package io.tycostream.triggers.delivery;

import static io.tycostream.triggers.delivery.DeliveryFixture.await;
import static io.tycostream.triggers.delivery.DeliveryFixture.awaitCondition;
import static io.tycostream.triggers.delivery.DeliveryFixture.loopbackOptions;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.RecordedAttempt;
import io.tycostream.triggers.testkit.CapturedLog;
import io.tycostream.triggers.testkit.ClientCertificateSet;
import io.tycostream.triggers.testkit.TestCertificateAuthority.IssuedCertificate;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.junit5.VertxExtension;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Verifies per-trigger client certificates (#9 item 5) against a real HTTPS receiver on 127.0.0.1 that REQUIRES a
 * client certificate and trusts one client CA only: each trigger presents the certificate its
 * {@code webhook.client_certificate} names (the receiver sees its subject), a certificate of another CA fails the
 * handshake, a trigger without a name presents the global certificate, and a name the configuration does not have
 * fails the attempt without a connection (never falling back to another certificate or none) and is named at start.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClientCertificateDeliveryTest {

  private static final String DATA = "{\"account\":\"A-7\"}";

  @TempDir
  static Path certificates;
  private static ClientCertificateSet certs;

  @TempDir
  Path dir;

  private DeliveryFixture fixture;
  private HttpServer receiver;
  /** {@code path subject} of every request the receiver accepted. */
  private final List<String> received = new CopyOnWriteArrayList<>();
  private int eventCount;

  @BeforeAll
  static void makeCertificates() {
    certs = ClientCertificateSet.create(certificates, "client-");
  }

  @BeforeEach
  void startReceiver(Vertx vertx) {
    // GIVEN a receiver requiring a client certificate, trusting only the certificates the trusted CA issued
    receiver = await(certs.startReceiver(vertx, request -> request.body().onSuccess(body -> {
      received.add(request.path() + " " + ClientCertificateSet.subjectOf(request));
      request.response().setStatusCode(204).end();
    })));
    fixture = DeliveryFixture.open(vertx, dir);
  }

  @AfterEach
  void tearDown() {
    fixture.close();
    await(receiver.close());
  }

  /**
   * Verifies that a trigger naming certificate {@code a} is delivered with it, one without a name with the global
   * certificate, and one naming {@code b} (another CA) fails its handshake, recorded in its attempt.
   */
  @Test
  void presentsTheCertificateEachTriggerNames() {
    // GIVEN three triggers: one naming a, one naming b, one naming none
    createTrigger("to_a", "/a", "a");
    createTrigger("to_b", "/b", "b");
    createTrigger("to_global", "/global", null);
    deploy(DeliveryFixture.quickRetries(1));

    // WHEN one event of each is committed
    String toA = commitEvent("to_a");
    String toB = commitEvent("to_b");
    String toGlobal = commitEvent("to_global");

    // THEN the receiver saw a's subject at /a and the global subject at /global, and nothing at /b
    awaitCondition("a and global delivered", () -> fixture.event(toA).status() == EventStatus.DELIVERED
        && fixture.event(toGlobal).status() == EventStatus.DELIVERED);
    awaitCondition("b's attempt is over", () -> fixture.event(toB).status() == EventStatus.DEAD);
    assertThat(received).containsExactlyInAnyOrder("/a " + certs.partnerA().subject(),
        "/global " + certs.global().subject());
    // AND b's failed handshake is its attempt's error (the receiver refused the certificate of another CA)
    assertThat(fixture.attempts(toB)).extracting(RecordedAttempt::error).singleElement()
        .satisfies(error -> assertThat(error).startsWith("tls error"));
    assertThat(fixture.event(toB).lastError()).isEqualTo(fixture.attempts(toB).get(0).error());
  }

  /**
   * Verifies that a trigger naming a certificate the configuration no longer has fails every attempt without a
   * connection, the error naming the certificate, and that delivery's start names the trigger in a WARN.
   */
  @Test
  void failsWithoutConnectingWhenTheNamedCertificateIsNotConfigured() {
    // GIVEN a stored trigger naming certificate "retired", which the configuration no longer has
    createTrigger("to_retired", "/retired", "retired");

    // WHEN delivery starts and an event of the trigger comes due (two attempts allowed)
    String event;
    try (CapturedLog log = CapturedLog.attach()) {
      deploy(DeliveryFixture.quickRetries(2));
      // THEN the start named the trigger and the certificate in a WARN
      assertThat(log.atLeast(Level.WARN)).anySatisfy(line -> assertThat(line)
          .contains("client certificate that is not configured").contains("trigger: to_retired")
          .contains("client certificate: retired"));
      event = commitEvent("to_retired");
      awaitCondition("the attempts are over", () -> fixture.event(event).status() == EventStatus.DEAD);
    }

    // AND each attempt failed naming the missing certificate and the configured ones, and nothing reached the receiver
    String expected = "client certificate 'retired' is not configured (delivery.tls.client_certificates: a, b), "
        + "not sent";
    assertThat(fixture.attempts(event)).extracting(RecordedAttempt::error).containsExactly(expected, expected);
    assertThat(fixture.event(event).lastError()).isEqualTo(expected);
    assertThat(received).isEmpty();
    assertThat(await(MissingClientCertificates.warn(fixture.store, Set.of("a", "b")))).containsExactly("to_retired");
    assertThat(await(MissingClientCertificates.warn(fixture.store, Set.of("retired")))).isEmpty();
  }

  private static KeyCertOptions keyCert(IssuedCertificate certificate) {
    return WebhookTlsFiles.clientCertificate(certificate.certificatePem(), certificate.privateKeyPem());
  }

  private void deploy(RetryPolicy retries) {
    Map<String, KeyCertOptions> named = new java.util.LinkedHashMap<>();
    named.put("a", keyCert(certs.partnerA()));
    named.put("b", keyCert(certs.partnerB()));
    DeliveryOptions options = loopbackOptions(retries).setRequireHttps(true).setConnectTimeout(Duration.ofSeconds(5))
        .setLease(Duration.ofSeconds(10))
        .setTrust(WebhookTlsFiles.trustWithExtraCas(certs.server().certificatePem()))
        .setClientCertificate(keyCert(certs.global()))
        .setNamedClientCertificates(named);
    fixture.deploy(options, new TargetResolver.Setup(host -> List.of(InetAddress.getByName("127.0.0.1")),
        WebhookTargetPolicy::isInternal));
  }

  /** Stores a trigger posting to {@code https://localhost:<port><path>}, naming {@code certificate} (or none). */
  private void createTrigger(String name, String path, String certificate) {
    JsonObject webhook = new JsonObject().put("url", "https://localhost:" + receiver.actualPort() + path);
    if (certificate != null) {
      webhook.put("client_certificate", certificate);
    }
    String definition = new JsonObject().put("name", name).put("source", DeliveryFixture.SOURCE)
        .put("webhook", webhook)
        .put("fire", new JsonObject().put("net_position", new JsonObject().put("_gt", 10000)))
        .encode();
    await(fixture.store.createTrigger(new NewTrigger(name, DeliveryFixture.SOURCE, definition,
        WebhookSecret.generate(new SecureRandom()).value())));
    await(fixture.store.markBaselined(name, BigInteger.ONE));
  }

  private String commitEvent(String trigger) {
    String event = String.format("e%031d", ++eventCount);
    fixture.commitEvent(event, trigger, DATA);
    return event;
  }

}
