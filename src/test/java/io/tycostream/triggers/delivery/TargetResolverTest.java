package io.tycostream.triggers.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.definition.TargetAllowList;
import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Verifies which target addresses the SSRF check refuses, and that a host is resolved once and the checked answer
 * reused: literals without a lookup, names through a short cache. No real name is looked up.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TargetResolverTest {

  private static final long TTL_MS = 30_000;

  /** Verifies that loopback, private, link-local, unspecified and similar internal addresses are refused. */
  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
    "169.254.169.254", "0.0.0.0", "0.1.2.3", "100.64.0.1", "100.127.255.255", "224.0.0.1", "255.255.255.255",
    "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1",
    "ff02::1"})
  void refusesInternalAddresses(String literal) throws UnknownHostException {
    // GIVEN an internal address literal
    InetAddress address = InetAddress.getByName(literal);

    // WHEN / THEN it is refused
    assertThat(WebhookTargetPolicy.isInternal(address)).as(literal).isTrue();
  }

  /** Verifies that public addresses pass, including neighbours of the refused ranges. */
  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1", "100.63.255.255",
    "192.169.0.1", "2001:4860:4860::8888", "2606:4700::1111"})
  void allowsPublicAddresses(String literal) throws UnknownHostException {
    // GIVEN a public address literal
    InetAddress address = InetAddress.getByName(literal);

    // WHEN / THEN it passes
    assertThat(WebhookTargetPolicy.isInternal(address)).as(literal).isFalse();
  }

  /** Verifies that a name resolving to loopback and a loopback literal are refused, the literal without a lookup. */
  @Test
  void refusesNamesAndLiteralsOfInternalAddresses(Vertx vertx) {
    // GIVEN a resolver whose lookup answers loopback and counts its calls
    AtomicInteger lookups = new AtomicInteger();
    TargetResolver resolver = resolver(vertx, host -> {
      lookups.incrementAndGet();
      return List.of(InetAddress.getLoopbackAddress());
    }, () -> 0L);

    // WHEN a name and a loopback literal are resolved
    Throwable byName = failureOf(resolver.resolve("hooks.example.test"));
    Throwable byLiteral = failureOf(resolver.resolve("127.0.0.1"));

    // THEN both are refused with the recorded reason, and only the name was looked up
    assertThat(byName).hasMessage("target address not allowed");
    assertThat(byLiteral).hasMessage("target address not allowed");
    assertThat(lookups).hasValue(1);
  }

  /** Verifies that a name with one public and one private address is refused. */
  @Test
  void refusesANameWithAnyInternalAddress(Vertx vertx) {
    // GIVEN a name answering a public and a private address
    TargetResolver resolver = resolver(vertx, host -> List.of(InetAddress.getByName("93.184.216.34"),
      InetAddress.getByName("10.0.0.7")), () -> 0L);

    // WHEN / THEN it is refused
    assertThat(failureOf(resolver.resolve("mixed.example.test"))).hasMessage("target address not allowed");
  }

  /** Verifies that the checked answer is reused within its time to live and looked up again after it. */
  @Test
  void reusesTheCheckedAnswerUntilItExpires(Vertx vertx) throws Exception {
    // GIVEN a name that answers a public address, then another one
    AtomicInteger lookups = new AtomicInteger();
    AtomicLong now = new AtomicLong(1_000);
    TargetResolver resolver = resolver(vertx, host -> List.of(InetAddress.getByName(
      lookups.incrementAndGet() == 1 ? "93.184.216.34" : "93.184.216.35")), now::get);

    // WHEN it is resolved fifty times within the time to live, then once after it
    InetAddress first = null;
    for (int i = 0; i < 50; i++) {
      first = resolver.resolve("hooks.example.test").await(10, TimeUnit.SECONDS);
    }
    now.addAndGet(TTL_MS);
    InetAddress later = resolver.resolve("hooks.example.test").await(10, TimeUnit.SECONDS);

    // THEN one lookup served the fifty, and the expired answer was replaced by a new lookup
    assertThat(first.getHostAddress()).isEqualTo("93.184.216.34");
    assertThat(later.getHostAddress()).isEqualTo("93.184.216.35");
    assertThat(lookups).hasValue(2);
  }

  /** Verifies that an unknown host fails with its name and is tried again after a short while, not per event. */
  @Test
  void remembersAFailedLookupBriefly(Vertx vertx) {
    // GIVEN a lookup that fails
    AtomicInteger lookups = new AtomicInteger();
    AtomicLong now = new AtomicLong(1_000);
    TargetResolver resolver = resolver(vertx, host -> {
      lookups.incrementAndGet();
      throw new UnknownHostException(host);
    }, now::get);

    // WHEN it is resolved twice, then again after the failure's time to live
    Throwable failure = failureOf(resolver.resolve("nowhere.example.test"));
    failureOf(resolver.resolve("nowhere.example.test"));
    now.addAndGet(TargetResolver.FAILURE_TTL_MS);
    failureOf(resolver.resolve("nowhere.example.test"));

    // THEN it failed as an unknown host, looked up once and then once more
    assertThat(failure).hasMessage("unknown host nowhere.example.test");
    assertThat(lookups).hasValue(2);
  }

  /** Verifies that an internal address passes only when a listed range holds it, and every address must pass. */
  @Test
  void allowsInternalAddressesOnlyInsideTheListedRanges(Vertx vertx) {
    // GIVEN 127.0.0.0/8 allowed, and names answering loopback, a private address, and both
    TargetResolver resolver = resolver(vertx, host -> switch (host) {
      case "loop.example.test" -> List.of(InetAddress.getByName("127.0.0.5"));
      case "lan.example.test" -> List.of(InetAddress.getByName("10.1.2.3"));
      default -> List.of(InetAddress.getByName("127.0.0.5"), InetAddress.getByName("10.1.2.3"));
    }, () -> 0L, TargetAllowList.of(List.of("127.0.0.0/8")));

    // WHEN / THEN loopback passes, the private address outside the list is refused, and so is the mixed answer
    assertThat(resolver.resolve("loop.example.test").await()).isEqualTo(address("127.0.0.5"));
    assertThat(resolver.resolve("127.0.0.1").await()).isEqualTo(address("127.0.0.1"));
    assertThat(failureOf(resolver.resolve("lan.example.test"))).hasMessage(TargetResolver.NOT_ALLOWED);
    assertThat(failureOf(resolver.resolve("10.1.2.3"))).hasMessage(TargetResolver.NOT_ALLOWED);
    assertThat(failureOf(resolver.resolve("both.example.test"))).hasMessage(TargetResolver.NOT_ALLOWED);
  }

  /** Verifies that a listed name may resolve to internal addresses, and an unlisted neighbour may not. */
  @Test
  void allowsWhatAListedNameResolvesTo(Vertx vertx) {
    // GIVEN a listed name and a listed suffix, every name answering a private address
    TargetResolver resolver = resolver(vertx, host -> List.of(InetAddress.getByName("10.9.8.7")), () -> 0L,
        TargetAllowList.of(List.of("hooks.corp.example", "*.svc.cluster.local")));

    // WHEN / THEN the listed ones resolve, the unlisted one is refused
    assertThat(resolver.resolve("hooks.corp.example").await()).isEqualTo(address("10.9.8.7"));
    assertThat(resolver.resolve("receiver.ns.svc.cluster.local").await()).isEqualTo(address("10.9.8.7"));
    assertThat(failureOf(resolver.resolve("other.corp.example"))).hasMessage(TargetResolver.NOT_ALLOWED);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static TargetResolver resolver(Vertx vertx, TargetResolver.HostLookup lookup,
                                         java.util.function.LongSupplier clock) {
    return resolver(vertx, lookup, clock, TargetAllowList.none());
  }

  private static TargetResolver resolver(Vertx vertx, TargetResolver.HostLookup lookup,
                                         java.util.function.LongSupplier clock, TargetAllowList allowed) {
    return new TargetResolver(vertx, new TargetResolver.Setup(lookup, WebhookTargetPolicy::isInternal), allowed,
      TTL_MS, clock);
  }

  private static Throwable failureOf(Future<?> future) {
    try {
      future.await(10, TimeUnit.SECONDS);
    } catch (Throwable failure) {
      return failure;
    }
    throw new AssertionError("expected the resolution to fail");
  }
}
