package io.tycostream.triggers.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Verifies the webhook target settings of the configuration: {@code delivery.require_https},
 * {@code delivery.allowed_targets}, the deprecated {@code allow_private_targets} and {@code delivery.tls}, and that
 * configured triggers are checked against them at start-up.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfigDeliveryTargetsTest {

  private static final String SOURCE = """
      sources:
        - name: positions
          type: loadgen
          key_columns: [account]
      """;

  private static String trigger(String url) {
    return """
        triggers:
          - name: hook
            source: positions
            webhook: { url: "%s" }
            fire: { net_position: { _gt: 5000 } }
        """.formatted(url);
  }

  /** Verifies the defaults: https required, no internal target, no TLS files. */
  @Test
  void requiresHttpsAndAllowsNoInternalTargetByDefault() {
    DeliveryConfig delivery = load(SOURCE, Map.of()).delivery();

    assertThat(delivery.requireHttps()).isTrue();
    assertThat(delivery.allowedTargets()).isEmpty();
    assertThat(delivery.allowPrivateTargets()).isFalse();
    assertThat(delivery.tls()).isEqualTo(DeliveryTlsConfig.none());
  }

  /** Verifies that every target field is read from the file and from the environment. */
  @Test
  void readsTheTargetFields() {
    // GIVEN every target field in the file
    String yaml = SOURCE + """
        delivery:
          require_https: false
          allowed_targets: [127.0.0.0/8, "fd00::/8", hooks.corp.example, "*.svc.cluster.local"]
          tls: { ca_file: /etc/ca.pem, client_cert_file: /etc/client.pem, client_key_file: /etc/client.key }
        """;

    // WHEN it is loaded, THEN each value is there
    DeliveryConfig delivery = load(yaml, Map.of()).delivery();
    assertThat(delivery.requireHttps()).isFalse();
    assertThat(delivery.allowedTargets()).containsExactly("127.0.0.0/8", "fd00::/8", "hooks.corp.example",
        "*.svc.cluster.local");
    assertThat(delivery.tls()).isEqualTo(new DeliveryTlsConfig(Path.of("/etc/ca.pem"), Path.of("/etc/client.pem"),
        Path.of("/etc/client.key")));

    // AND the environment sets them too, a list as comma-separated text
    DeliveryConfig fromEnv = load(SOURCE, Map.of("TYCOSTREAM_DELIVERY__REQUIRE_HTTPS", "false",
        "TYCOSTREAM_DELIVERY__ALLOWED_TARGETS", "10.0.0.0/8, hooks.corp.example",
        "TYCOSTREAM_DELIVERY__TLS__CA_FILE", "/etc/ca.pem")).delivery();
    assertThat(fromEnv.requireHttps()).isFalse();
    assertThat(fromEnv.allowedTargets()).containsExactly("10.0.0.0/8", "hooks.corp.example");
    assertThat(fromEnv.tls().caFile()).isEqualTo(Path.of("/etc/ca.pem"));
  }

  /** Verifies that an entry that is no CIDR, address or name stops the start naming its index. */
  @Test
  void refusesAnInvalidAllowedTargetNamingItsIndex() {
    assertRejected(SOURCE + "delivery: { allowed_targets: [10.0.0.0/8, 10.0.0.0/33] }",
        "delivery.allowed_targets[1]", "10.0.0.0/33");
    assertRejected(SOURCE + "delivery: { allowed_targets: [\"http://x\"] }", "delivery.allowed_targets[0]", "http://x");
    assertRejected(SOURCE + "delivery: { allowed_targets: [7] }", "delivery.allowed_targets[0]", "expected");
    assertRejected(SOURCE + "delivery: { allowed_targets: { a: b } }", "delivery.allowed_targets", "expected");
    assertRejected(SOURCE + "delivery: { require_https: maybe }", "delivery.require_https", "maybe");
    assertRejected(SOURCE + "delivery: { tls: { ca: /x } }", "delivery.tls.ca", "unknown field");
    assertRejected(SOURCE + "delivery: { tls: { ca_file: ' ' } }", "delivery.tls.ca_file", "blank");
    assertRejected(SOURCE + "delivery: { tls: { client_cert_file: /c.pem } }", "delivery.tls.client_key_file",
        "client_cert_file");
  }

  /** Verifies that a configured trigger the target rules refuse stops the start, naming its URL field. */
  @Test
  void refusesConfiguredTriggersTheRulesRefuse() {
    // http while https is required
    assertRejected(SOURCE + trigger("http://hooks.example.com/h"), "triggers[0].webhook.url",
        "delivery.require_https");
    // an internal address outside the allow-list
    assertRejected(SOURCE + trigger("https://10.1.2.3/h") + "delivery: { allowed_targets: [127.0.0.1] }",
        "triggers[0].webhook.url", "delivery.allowed_targets");
    // AND the same triggers load once the rules allow them
    assertThat(load(SOURCE + trigger("http://127.0.0.1:8080/h")
        + "delivery: { require_https: false, allowed_targets: [127.0.0.0/8] }", Map.of()).triggers()).hasSize(1);
    assertThat(load(SOURCE + trigger("https://10.1.2.3/h") + "delivery: { allowed_targets: [10.0.0.0/8] }",
        Map.of()).triggers()).hasSize(1);
  }

  /** Verifies that the deprecated alias still allows every internal target (https still as configured). */
  @Test
  void keepsTheDeprecatedAliasWorking() {
    TriggersConfig config = load(SOURCE + trigger("https://192.168.7.7/h")
        + "delivery: { allow_private_targets: true }", Map.of());

    assertThat(config.delivery().allowPrivateTargets()).isTrue();
    assertThat(config.delivery().targetPolicy().allowedTargets().allowsEverything()).isTrue();
    assertThat(config.delivery().targetPolicy().requiresHttps()).isTrue();
    assertThat(config.delivery().withTargets(false, List.of()).requireHttps()).isFalse();
  }

  private static TriggersConfig load(String yaml, Map<String, String> env) {
    return ConfigLoader.load(yaml, "config.yaml", env);
  }

  private static void assertRejected(String yaml, String field, String mentioned) {
    assertThatThrownBy(() -> load(yaml, Map.of()))
        .as(yaml)
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.getMessage()).contains(mentioned);
        });
  }
}
