package io.tycostream.triggers.definition;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies which webhook targets are refused at creation: internal ones unless the allow-list names them, and
 * {@code http://} ones while https is required.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebhookTargetPolicyTest {

  /** No internal target allowed; http allowed, so these cases test the address check alone. */
  private final WebhookTargetPolicy strict = new WebhookTargetPolicy(false, TargetAllowList.none());

  /** Verifies that loopback, private, link-local, unspecified and disguised numeric hosts are refused. */
  @ParameterizedTest
  @ValueSource(strings = {
      "http://127.0.0.1/h", "http://127.8.9.10:8080/h", "http://localhost/h", "http://LOCALHOST./h",
      "http://api.localhost/h", "http://10.0.0.1/h", "http://172.16.5.4/h", "http://192.168.1.1/h",
      "http://169.254.169.254/latest/meta-data", "http://0.0.0.0/h", "http://100.64.0.1/h", "http://[::1]/h",
      "http://[fe80::1]/h", "http://[fd00::1]/h", "http://[::ffff:127.0.0.1]/h", "http://2130706433/h",
      "http://127.1/h", "http://0x7f.0.0.1/h", "http://999.1.1.1/h",
      // IPv4 inside IPv6: mapped (even of a public address), NAT64 (well-known and local-use), 6to4
      "http://[::ffff:8.8.8.8]/h", "http://[64:ff9b::808:808]/h", "http://[64:ff9b:1::a00:1]/h",
      "http://[2002:c000:204::1]/h",
      // reserved, documentation, benchmarking, multicast and broadcast IPv4
      "http://0.1.2.3/h", "http://192.0.0.8/h", "http://192.0.2.10/h", "http://198.18.0.1/h", "http://198.19.255.1/h",
      "http://198.51.100.7/h", "http://203.0.113.9/h", "http://240.0.0.1/h", "http://250.1.2.3/h",
      "http://224.0.0.251/h", "http://239.255.255.250/h", "http://255.255.255.255/h"})
  void refusesInternalTargets(String url) {
    // GIVEN the default policy, WHEN the URL is checked, THEN it is refused
    assertThat(strict.refusal(URI.create(url))).as(url).isPresent();
  }

  /** Verifies that public names and addresses pass, and that everything passes when private targets are allowed. */
  @ParameterizedTest
  @ValueSource(strings = {"https://hooks.example.com/h", "http://8.8.8.8/h", "https://[2001:db8::1]/h",
      "https://a1.example.io:8443/x", "http://172.32.0.1/h", "http://100.128.0.1/h", "http://192.0.1.1/h",
      "http://198.20.0.1/h", "http://203.0.114.1/h", "http://223.255.255.1/h", "https://[2003::1]/h",
      "https://[64:ff9b:2::1]/h"})
  void acceptsPublicTargets(String url) {
    // GIVEN the default policy, WHEN a public URL is checked, THEN it passes
    assertThat(strict.refusal(URI.create(url))).as(url).isEmpty();
  }

  /** Verifies that the deprecated allow-everything setting lets loopback and odd numeric forms through. */
  @Test
  void allowsEveryInternalTargetUnderTheDeprecatedAlias() {
    // GIVEN a policy that allows every internal target, WHEN loopback is checked, THEN it passes
    WebhookTargetPolicy everything = new WebhookTargetPolicy(false, TargetAllowList.everything());
    assertThat(everything.refusal(URI.create("http://127.0.0.1:8080/demo/webhook"))).isEmpty();
    assertThat(everything.refusal(URI.create("http://127.1:8080/demo/webhook"))).isEmpty();
  }

  /** Verifies that the default policy refuses http URLs, public or not, naming the setting, and accepts https. */
  @Test
  void requiresHttpsByDefault() {
    // GIVEN the production default
    WebhookTargetPolicy production = WebhookTargetPolicy.strict();

    // WHEN / THEN http is refused with the setting named, https to a public host passes
    assertThat(production.refusal(URI.create("http://hooks.example.com/h")))
        .hasValueSatisfying(refusal -> assertThat(refusal).contains("https").contains("delivery.require_https"));
    assertThat(production.refusal(URI.create("HTTP://8.8.8.8/h"))).isPresent();
    assertThat(production.refusal(URI.create("https://hooks.example.com/h"))).isEmpty();
    // AND an https URL to an internal address is still refused for its address
    assertThat(production.refusal(URI.create("https://10.0.0.1/h")))
        .hasValueSatisfying(refusal -> assertThat(refusal).contains("delivery.allowed_targets"));
  }

  /** Verifies that the allow-list admits exactly the listed ranges, names and suffixes, and nothing beside them. */
  @Test
  void allowsOnlyWhatTheAllowListNames() {
    // GIVEN a loopback range, a private /24, one IPv6 address, a name and a suffix
    WebhookTargetPolicy listed = new WebhookTargetPolicy(true, TargetAllowList.of(List.of("127.0.0.0/8",
        "10.20.30.0/24", "fd00::7", "hooks.corp.example", "*.svc.cluster.local")));

    // WHEN / THEN the listed ones pass
    for (String url : List.of("https://127.0.0.1:8443/h", "https://127.9.9.9/h", "https://10.20.30.40/h",
        "https://[fd00::7]/h", "https://hooks.corp.example/h", "https://a.b.svc.cluster.local/h",
        "https://localhost:8443/h", "https://public.example.com/h")) {
      assertThat(listed.refusal(URI.create(url))).as(url).isEmpty();
    }
    // AND their neighbours are refused
    for (String url : List.of("https://10.20.31.1/h", "https://[fd00::8]/h", "https://192.168.1.1/h",
        "https://169.254.169.254/h", "https://127.1/h", "https://[::ffff:127.0.0.1]/h")) {
      assertThat(listed.refusal(URI.create(url))).as(url).isPresent();
    }
  }
}
