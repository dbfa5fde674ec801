package io.tycostream.triggers.delivery;

import static io.tycostream.triggers.delivery.DeliveryFixture.await;
import static io.tycostream.triggers.delivery.DeliveryFixture.awaitCondition;
import static io.tycostream.triggers.delivery.DeliveryFixture.loopbackOptions;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.RecordedAttempt;
import io.tycostream.triggers.testkit.SelfSignedTls;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that webhook TLS is verified for real against an HTTPS receiver on 127.0.0.1 with a certificate made at
 * test time for {@code localhost}: an untrusted certificate fails the attempt, {@code delivery.tls.ca_file} makes it
 * trusted, the host name is verified against the URL's host (not the checked address the connection goes to), a
 * client certificate is presented for mTLS, and an {@code http://} URL is refused without a connection while https
 * is required.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryTlsTest {

  private static final String DATA = "{\"account\":\"A-7\"}";

  @TempDir
  static Path certificates;
  private static SelfSignedTls server;
  private static SelfSignedTls client;

  @TempDir
  Path dir;

  private DeliveryFixture fixture;
  private HttpServer receiver;
  private WebhookReceiver plainReceiver;
  private final List<String> hosts = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void makeCertificates() {
    server = SelfSignedTls.create(certificates, "localhost");
    client = SelfSignedTls.create(certificates, "webhook-client");
  }

  @AfterEach
  void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
    if (receiver != null) {
      await(receiver.close());
    }
    if (plainReceiver != null) {
      await(plainReceiver.stop());
    }
  }

  /** Verifies that a certificate no trusted CA signed fails the attempt with a TLS error and delivers nothing. */
  @Test
  void failsOnAnUntrustedCertificate(Vertx vertx) {
    // GIVEN an HTTPS receiver with a self-signed certificate and delivery trusting the JVM's CAs only
    startReceiver(vertx, new HttpServerOptions());
    String event = deliverOne(vertx, "https://localhost:" + receiver.actualPort() + "/in", httpsOptions());

    // THEN the attempt failed as a certificate problem, and the receiver got no request
    awaitCondition("the attempt is over", () -> fixture.event(event).status() == EventStatus.DEAD);
    assertThat(fixture.attempts(event)).extracting(RecordedAttempt::error).singleElement()
        .satisfies(error -> assertThat(error).startsWith("tls error").contains("certification path"));
    assertThat(hosts).isEmpty();
  }

  /** Verifies that the CA file makes the receiver's certificate trusted, the URL's host name verified against it. */
  @Test
  void deliversWhenTheCaFileTrustsTheCertificate(Vertx vertx) {
    // GIVEN the receiver's certificate as delivery.tls.ca_file
    startReceiver(vertx, new HttpServerOptions());
    DeliveryOptions options = httpsOptions().setTrust(WebhookTlsFiles.trustWithExtraCas(server.certificatePem()));

    // WHEN an event goes to https://localhost:<port>, connected through the checked 127.0.0.1
    String event = deliverOne(vertx, "https://localhost:" + receiver.actualPort() + "/in", options);

    // THEN it is delivered, with the name as Host
    awaitCondition("the event is delivered", () -> fixture.event(event).status() == EventStatus.DELIVERED);
    assertThat(hosts).containsExactly("localhost:" + receiver.actualPort());
  }

  /** Verifies that a trusted certificate for another name is refused: the host name is checked, not just the CA. */
  @Test
  void verifiesTheHostNameOfTheUrl(Vertx vertx) {
    // GIVEN a trusted certificate for localhost, and a URL naming another host that resolves to the same receiver
    startReceiver(vertx, new HttpServerOptions());
    DeliveryOptions options = httpsOptions().setTrust(WebhookTlsFiles.trustWithExtraCas(server.certificatePem()));

    // WHEN an event goes to https://hooks.example.test:<port>
    String event = deliverOne(vertx, "https://hooks.example.test:" + receiver.actualPort() + "/in", options);

    // THEN the attempt fails as a TLS error and nothing is delivered
    awaitCondition("the attempt is over", () -> fixture.event(event).status() == EventStatus.DEAD);
    assertThat(fixture.attempts(event)).extracting(RecordedAttempt::error).singleElement()
        .satisfies(error -> assertThat(error).startsWith("tls error").contains("hooks.example.test"));
    assertThat(hosts).isEmpty();
  }

  /** Verifies that the configured client certificate is presented to a receiver that requires one (mTLS). */
  @Test
  void presentsTheClientCertificate(Vertx vertx) {
    // GIVEN a receiver that requires a client certificate signed by the test client's (self-signed) certificate
    startReceiver(vertx, new HttpServerOptions().setClientAuth(ClientAuth.REQUIRED)
        .setTrustOptions(new PemTrustOptions().addCertPath(client.certificatePem().toString())));
    DeliveryOptions options = httpsOptions()
        .setTrust(WebhookTlsFiles.trustWithExtraCas(server.certificatePem()))
        .setClientCertificate(WebhookTlsFiles.clientCertificate(client.certificatePem(), client.privateKeyPem()));

    // WHEN an event is sent
    String event = deliverOne(vertx, "https://localhost:" + receiver.actualPort() + "/in", options);

    // THEN it is delivered
    awaitCondition("the event is delivered", () -> fixture.event(event).status() == EventStatus.DELIVERED);
    assertThat(hosts).hasSize(1);
  }

  /**
   * Verifies that a trigger stored with an {@code http://} URL before https became required fails its attempts
   * without a connection, recorded with the setting's name, and is retried until its policy ends.
   */
  @Test
  void refusesPlainHttpWithoutConnecting(Vertx vertx) {
    // GIVEN a plain HTTP receiver, a trigger posting to it, and https required
    plainReceiver = await(WebhookReceiver.start(vertx));

    // WHEN an event is delivered with two attempts allowed
    String event = deliverOne(vertx, plainReceiver.url("/in"),
        httpsOptions().setRetryPolicy(DeliveryFixture.quickRetries(2)));

    // THEN both attempts were refused with the setting's name, the event is dead, and nothing was connected
    awaitCondition("the attempts are over", () -> fixture.event(event).status() == EventStatus.DEAD);
    assertThat(fixture.attempts(event)).extracting(RecordedAttempt::error)
        .containsExactly(WebhookTargetPolicy.HTTPS_REQUIRED, WebhookTargetPolicy.HTTPS_REQUIRED);
    assertThat(WebhookTargetPolicy.HTTPS_REQUIRED).isEqualTo("https required (delivery.require_https)");
    assertThat(plainReceiver.requestCount()).isZero();
  }

  /**
   * Loopback allowed (the receiver is on 127.0.0.1), https required, one attempt, and time for the first TLS
   * handshake of the JVM on a busy machine.
   */
  private static DeliveryOptions httpsOptions() {
    return loopbackOptions(RetryPolicy.noRetry()).setRequireHttps(true).setConnectTimeout(Duration.ofSeconds(5))
        .setLease(Duration.ofSeconds(10));
  }

  private void startReceiver(Vertx vertx, HttpServerOptions options) {
    receiver = await(vertx.createHttpServer(options.setSsl(true).setKeyCertOptions(server.serverKeyCert())
            .setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> request.body().onSuccess(body -> {
          hosts.add(request.getHeader("host"));
          request.response().setStatusCode(204).end();
        }))
        .listen());
  }

  /** Stores a trigger posting to {@code url}, deploys delivery (every name resolves to 127.0.0.1), commits one event. */
  private String deliverOne(Vertx vertx, String url, DeliveryOptions options) {
    fixture = DeliveryFixture.open(vertx, dir);
    fixture.createTrigger("secure", url);
    fixture.deploy(options, new TargetResolver.Setup(host -> List.of(InetAddress.getByName("127.0.0.1")),
        WebhookTargetPolicy::isInternal));
    String event = "e0000000000000000000000000000001";
    fixture.commitEvent(event, "secure", DATA);
    return event;
  }
}
