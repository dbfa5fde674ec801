package io.tycostream.triggers.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Verifies how {@code delivery.allowed_targets} entries are read and what they allow. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TargetAllowListTest {

  /** Verifies that a CIDR range allows exactly the addresses inside it, for IPv4 and IPv6. */
  @Test
  void rangesAllowTheAddressesInsideThem() throws UnknownHostException {
    // GIVEN an IPv4 /8, an IPv4 /20, a single address and an IPv6 /32
    TargetAllowList list = TargetAllowList.of(List.of("127.0.0.0/8", "10.20.16.0/20", "192.168.1.7",
        "fd00:1234::/32"));

    // WHEN / THEN addresses inside pass and their neighbours do not
    assertThat(list.allowsAddress(address("127.0.0.1"))).isTrue();
    assertThat(list.allowsAddress(address("127.255.255.255"))).isTrue();
    assertThat(list.allowsAddress(address("128.0.0.1"))).isFalse();
    assertThat(list.allowsAddress(address("10.20.31.255"))).isTrue();
    assertThat(list.allowsAddress(address("10.20.32.0"))).isFalse();
    assertThat(list.allowsAddress(address("10.20.15.255"))).isFalse();
    assertThat(list.allowsAddress(address("192.168.1.7"))).isTrue();
    assertThat(list.allowsAddress(address("192.168.1.8"))).isFalse();
    assertThat(list.allowsAddress(address("fd00:1234:ffff::1"))).isTrue();
    assertThat(list.allowsAddress(address("fd00:1235::1"))).isFalse();
    // AND an IPv4 range never matches an IPv6 address, nor the other way round
    assertThat(list.allowsAddress(address("::1"))).isFalse();
    assertThat(list.allowsName("127.0.0.1")).isFalse();
  }

  /** Verifies that names match exactly (case and a trailing dot aside) and suffixes only below themselves. */
  @Test
  void namesMatchExactlyAndSuffixesOnlyWholeLabels() {
    // GIVEN one name and one suffix
    TargetAllowList list = TargetAllowList.of(List.of("Hooks.Corp.Example", "*.svc.cluster.local"));

    // WHEN / THEN
    assertThat(list.allowsName("hooks.corp.example")).isTrue();
    assertThat(list.allowsName("hooks.corp.example.")).isTrue();
    assertThat(list.allowsName("x.hooks.corp.example")).isFalse();
    assertThat(list.allowsName("receiver.ns.svc.cluster.local")).isTrue();
    assertThat(list.allowsName("svc.cluster.local")).as("the suffix itself").isFalse();
    assertThat(list.allowsName("evilsvc.cluster.local")).as("not a whole label").isFalse();
  }

  /** Verifies that an empty list allows nothing and the deprecated alias everything. */
  @Test
  void emptyAllowsNothingAndEverythingAllowsAll() throws UnknownHostException {
    assertThat(TargetAllowList.of(List.of()).isEmpty()).isTrue();
    assertThat(TargetAllowList.none().allowsAddress(address("127.0.0.1"))).isFalse();
    assertThat(TargetAllowList.everything().allowsAddress(address("10.0.0.1"))).isTrue();
    assertThat(TargetAllowList.everything().allowsName("anything.internal")).isTrue();
  }

  /** Verifies that an entry that is no range, address, name or suffix is refused with its index. */
  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/33", "10.0.0.256", "10.0.0.0/", "10.0.0.0/x", "fd00::/129", "not a host",
      "*.", "*", "http://hooks.example.com", "hooks.example.com:8443", "::ffff:10.0.0.1", "10.0.0", "-bad.example",
      "a..b"})
  void refusesUnreadableEntriesWithTheirIndex(String entry) {
    assertThatThrownBy(() -> TargetAllowList.of(List.of("127.0.0.1", entry)))
        .as(entry)
        .isInstanceOfSatisfying(TargetAllowList.InvalidEntryException.class, e -> {
          assertThat(e.index()).isEqualTo(1);
          assertThat(e.getMessage()).contains(entry);
        });
  }

  private static InetAddress address(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }
}
