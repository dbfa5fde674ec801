package io.tycostream.triggers.delivery;

import static io.tycostream.triggers.delivery.DeliveryFixture.await;
import static io.tycostream.triggers.delivery.DeliveryFixture.awaitCondition;
import static io.tycostream.triggers.delivery.DeliveryFixture.loopbackOptions;
import static io.tycostream.triggers.delivery.DeliveryFixture.quickRetries;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.definition.TargetAllowList;
import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.RecordedAttempt;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
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
 * Verifies {@code delivery.allowed_targets} where the connection is made: a loopback receiver is reached only when
 * the list allows it, an internal address outside the list is refused without a request, and a name allowed by
 * name still connects only to the address its attempt checked, whatever the name resolves to later.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeliveryAllowedTargetsTest {

  private static final String DATA = "{\"account\":\"A-7\"}";

  @TempDir
  Path dir;

  private Vertx ownVertx;
  private DeliveryFixture fixture;
  private WebhookReceiver receiver;

  @AfterEach
  void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
    if (receiver != null) {
      await(receiver.stop());
    }
    if (ownVertx != null) {
      await(ownVertx.close());
    }
  }

  /** Verifies that a loopback receiver is refused with an empty list and reached once 127.0.0.0/8 is listed. */
  @Test
  void reachesLoopbackOnlyWhenListed(Vertx vertx) {
    // GIVEN a receiver on 127.0.0.1 and a trigger posting to it, delivery allowing no internal target
    fixture = DeliveryFixture.open(vertx, dir);
    receiver = await(WebhookReceiver.start(vertx));
    fixture.createTrigger("loop", receiver.url("/in"));
    String refusedDeployment = fixture.deploy(options(TargetAllowList.none(), quickRetries(1)));

    // WHEN an event is delivered, THEN it is refused without a request
    String refused = "f0000000000000000000000000000001";
    fixture.commitEvent(refused, "loop", DATA);
    awaitCondition("the refused event is over", () -> fixture.event(refused).status() == EventStatus.DEAD);
    assertThat(fixture.attempts(refused)).extracting(RecordedAttempt::error)
        .containsExactly(TargetResolver.NOT_ALLOWED);
    assertThat(receiver.requestCount()).isZero();

    // WHEN delivery runs again with 127.0.0.0/8 listed, THEN the next event is delivered
    fixture.undeploy(refusedDeployment);
    fixture.deploy(options(TargetAllowList.of(List.of("127.0.0.0/8")), quickRetries(1)));
    String allowed = "f0000000000000000000000000000002";
    fixture.commitEvent(allowed, "loop", DATA);
    awaitCondition("the allowed event is delivered", () -> fixture.event(allowed).status() == EventStatus.DELIVERED);
    assertThat(receiver.received()).hasSize(1);
  }

  /** Verifies that a name resolving to an internal address outside the list is refused when the attempt connects. */
  @Test
  void refusesAnInternalAddressOutsideTheList(Vertx vertx) {
    // GIVEN 127.0.0.0/8 allowed and a name the lookup answers with 10.1.2.3
    fixture = DeliveryFixture.open(vertx, dir);
    fixture.createTrigger("lan", "http://lan.example.test:8080/in");
    fixture.deploy(options(TargetAllowList.of(List.of("127.0.0.0/8")), RetryPolicy.noRetry()),
        lookup(host -> List.of(InetAddress.getByName("10.1.2.3"))));

    // WHEN an event is delivered
    String event = "f0000000000000000000000000000003";
    fixture.commitEvent(event, "lan", DATA);

    // THEN its attempt was refused before any connection
    awaitCondition("the attempt is over", () -> fixture.event(event).status() == EventStatus.DEAD);
    assertThat(fixture.attempts(event)).extracting(RecordedAttempt::error)
        .containsExactly(TargetResolver.NOT_ALLOWED);
  }

  /**
   * Verifies that a name allowed by name connects to the address its attempt checked: the system resolver (Vert.x's
   * own) would send the name to the receiver, the checked answers are first the receiver and then an address where
   * nothing listens, and only the first event arrives.
   */
  @Test
  void connectsOnlyToTheCheckedAddressOfAnAllowedName() {
    // GIVEN a Vert.x whose own resolver maps the name to the receiver on 127.0.0.1, and a lookup answering
    // 127.0.0.1 once and then 127.0.0.2 (nothing listens there), the name allowed by name, resolved per attempt
    ownVertx = Vertx.vertx(new VertxOptions().setAddressResolverOptions(new AddressResolverOptions()
        .setHostsValue(Buffer.buffer("127.0.0.1 hooks.corp.example\n"))));
    fixture = DeliveryFixture.open(ownVertx, dir);
    receiver = await(WebhookReceiver.start(ownVertx));
    AtomicInteger lookups = new AtomicInteger();
    fixture.createTrigger("named", "http://hooks.corp.example:" + receiver.port() + "/in");
    fixture.deploy(options(TargetAllowList.of(List.of("hooks.corp.example")), RetryPolicy.noRetry())
            .setResolutionTtl(Duration.ZERO),
        lookup(host -> List.of(InetAddress.getByName(lookups.incrementAndGet() == 1 ? "127.0.0.1" : "127.0.0.2"))));

    // WHEN two events are delivered one after the other
    String first = "f0000000000000000000000000000004";
    fixture.commitEvent(first, "named", DATA);
    awaitCondition("the first event is delivered", () -> fixture.event(first).status() == EventStatus.DELIVERED);
    String second = "f0000000000000000000000000000005";
    fixture.commitEvent(second, "named", DATA);

    // THEN the second went to its checked 127.0.0.2 and failed there; the receiver saw the first only
    awaitCondition("the second attempt is over", () -> fixture.event(second).status() == EventStatus.DEAD);
    assertThat(fixture.attempts(second)).extracting(RecordedAttempt::error).singleElement()
        .satisfies(error -> assertThat(error).startsWith("connection refused"));
    assertThat(receiver.requestCount()).isEqualTo(1);
  }

  private static DeliveryOptions options(TargetAllowList allowed, RetryPolicy policy) {
    return loopbackOptions(policy).setAllowedTargets(allowed);
  }

  private static TargetResolver.Setup lookup(TargetResolver.HostLookup lookup) {
    return new TargetResolver.Setup(lookup, WebhookTargetPolicy::isInternal);
  }
}
