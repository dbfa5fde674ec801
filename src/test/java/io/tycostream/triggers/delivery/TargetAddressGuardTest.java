package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.WebhookTargetPolicy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Verifies which target addresses the SSRF guard refuses. Address literals only: nothing is resolved. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TargetAddressGuardTest {

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

  /** Verifies that a host name is resolved and refused when it points at loopback; a literal needs no lookup. */
  @Test
  void refusesHostNamesResolvingToLoopback(Vertx vertx) {
    // GIVEN a guard
    TargetAddressGuard guard = new TargetAddressGuard(vertx);

    // WHEN localhost and a loopback literal are checked
    Throwable byName = failureOf(guard.check("localhost"));
    Throwable byLiteral = failureOf(guard.check("127.0.0.1"));

    // THEN both are refused with the recorded reason
    assertThat(byName).hasMessage("target address not allowed");
    assertThat(byLiteral).hasMessage("target address not allowed");
  }

  private static Throwable failureOf(Future<?> future) {
    try {
      future.await(10, TimeUnit.SECONDS);
    } catch (Throwable failure) {
      return failure;
    }
    throw new AssertionError("expected the check to fail");
  }
}
