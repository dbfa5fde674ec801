package io.tycostream.triggers.delivery;

import static io.tycostream.triggers.delivery.DeliveryFixture.await;
import static io.tycostream.triggers.delivery.DeliveryFixture.awaitCondition;
import static io.tycostream.triggers.delivery.DeliveryFixture.loopbackOptions;
import static io.tycostream.triggers.delivery.DeliveryFixture.quickRetries;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.RecordedAttempt;
import io.tycostream.triggers.testkit.StallingWebhookReceiver;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that each attempt resolves its host once, checks the answer, and connects to exactly the checked address
 * while the {@code Host} header and TLS SNI keep the name; and that resolutions are reused rather than repeated per
 * event. Everything stays on the loopback: names are answered by a test lookup, and 127.0.0.2 plays a public address.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeliveryTargetResolutionTest {

  private static final String DATA = "{\"account\":\"A-7\"}";

  @TempDir
  Path dir;

  private Vertx ownVertx;
  private DeliveryFixture fixture;
  private StallingWebhookReceiver receiver;
  private WebhookReceiver loopbackReceiver;
  private NetServer tlsListener;

  @AfterEach
  void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
    if (receiver != null) {
      await(receiver.stop());
    }
    if (loopbackReceiver != null) {
      await(loopbackReceiver.stop());
    }
    if (tlsListener != null) {
      await(tlsListener.close());
    }
    if (ownVertx != null) {
      await(ownVertx.close());
    }
  }

  /** Verifies that a name reaches its receiver through the looked-up address, with the name as Host, looked up once. */
  @Test
  void reachesANameThroughItsCheckedAddressWithTheNameAsHost(Vertx vertx) {
    // GIVEN a receiver on 127.0.0.1, a name only the test lookup knows, and private targets allowed
    fixture = DeliveryFixture.open(vertx, dir);
    receiver = await(StallingWebhookReceiver.start(vertx, 0));
    int port = Integer.parseInt(receiver.url("").substring("http://127.0.0.1:".length()));
    AtomicInteger lookups = new AtomicInteger();
    TargetResolver.Setup resolution = new TargetResolver.Setup(host -> {
      lookups.incrementAndGet();
      return List.of(InetAddress.getLoopbackAddress());
    }, WebhookTargetPolicy::isInternal);
    fixture.createTrigger("named", "http://hooks.example.test:" + port + "/in");
    fixture.deploy(loopbackOptions(quickRetries(3)), resolution);

    // WHEN twenty events are delivered
    for (int i = 0; i < 20; i++) {
      fixture.commitEvent(String.format("b%031d", i), "named", DATA);
    }

    // THEN each reached the receiver with the name in its Host header, and the name was looked up once
    awaitCondition("the events are delivered", () -> receiver.received().size() == 20);
    assertThat(receiver.headers()).allSatisfy(headers ->
      assertThat(headers).containsEntry("host", "hooks.example.test:" + port));
    assertThat(lookups).hasValue(1);
  }

  /**
   * Verifies that a name whose answer changes from public to private between lookups (DNS rebinding) never gets a
   * request to the private address: the first attempt goes to the checked public address, the second is refused,
   * although the system resolver would send the name to the receiver.
   */
  @Test
  void neverConnectsToAnAddressThatWasNotChecked() {
    // GIVEN a Vert.x whose own resolver maps the name to the receiver on 127.0.0.1, a test lookup that answers
    // 127.0.0.2 (public, for this test; nothing listens there) and then 127.0.0.1 (internal), and no private targets
    ownVertx = Vertx.vertx(new VertxOptions().setAddressResolverOptions(new AddressResolverOptions()
      .setHostsValue(Buffer.buffer("127.0.0.1 rebind.example.test\n"))));
    fixture = DeliveryFixture.open(ownVertx, dir);
    loopbackReceiver = await(WebhookReceiver.start(ownVertx));
    AtomicInteger lookups = new AtomicInteger();
    TargetResolver.Setup rebinding = new TargetResolver.Setup(
      host -> List.of(InetAddress.getByName(lookups.incrementAndGet() == 1 ? "127.0.0.2" : "127.0.0.1")),
      address -> address.getHostAddress().equals("127.0.0.1"));
    fixture.createTrigger("rebound", "http://rebind.example.test:" + loopbackReceiver.port() + "/in");
    fixture.deploy(loopbackOptions(quickRetries(2)).setAllowPrivateTargets(false).setResolutionTtl(Duration.ZERO),
      rebinding);

    // WHEN an event is delivered
    String event = "c0000000000000000000000000000001";
    fixture.commitEvent(event, "rebound", DATA);

    // THEN the first attempt failed at the checked address, the second was refused, and nothing reached the receiver
    awaitCondition("the event's attempts are over", () -> fixture.event(event).status() != EventStatus.PENDING);
    assertThat(loopbackReceiver.requestCount()).as("requests that reached the unchecked address").isZero();
    assertThat(fixture.event(event).status()).isEqualTo(EventStatus.DEAD);
    List<RecordedAttempt> attempts = fixture.attempts(event);
    assertThat(attempts).extracting(RecordedAttempt::error).satisfiesExactly(
      first -> assertThat(first).startsWith("connection refused"),
      second -> assertThat(second).isEqualTo(TargetResolver.NOT_ALLOWED));
  }

  /** Verifies that a TLS connection to the checked address names the host in SNI. */
  @Test
  void namesTheHostInTlsSni(Vertx vertx) {
    // GIVEN a plain TCP listener on 127.0.0.1 that keeps the first bytes of each connection (a TLS ClientHello)
    fixture = DeliveryFixture.open(vertx, dir);
    Buffer hello = Buffer.buffer();
    tlsListener = await(vertx.createNetServer().connectHandler(socket -> socket.handler(bytes -> {
      synchronized (hello) {
        hello.appendBuffer(bytes);
      }
      socket.close();
    })).listen(0, "127.0.0.1"));
    TargetResolver.Setup resolution = new TargetResolver.Setup(host -> List.of(InetAddress.getLoopbackAddress()),
      WebhookTargetPolicy::isInternal);
    fixture.createTrigger("secure", "https://tls.example.test:" + tlsListener.actualPort() + "/in");
    fixture.deploy(loopbackOptions(RetryPolicy.noRetry()), resolution);

    // WHEN an event is sent to it
    String event = "d0000000000000000000000000000001";
    fixture.commitEvent(event, "secure", DATA);

    // THEN the ClientHello reached the checked address and carries the name (SNI is its only plain-text name)
    awaitCondition("the attempt is over", () -> fixture.event(event).status() == EventStatus.DEAD);
    String seen;
    synchronized (hello) {
      seen = hello.toString(StandardCharsets.ISO_8859_1);
    }
    assertThat(seen).contains("tls.example.test");
  }
}
