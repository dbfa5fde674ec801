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
 * Verifies {@code delivery.tls.client_certificates} (#9 item 5) as the configuration file gives it: named entries
 * bound in order, each problem a start-up error naming the entry's field ({@code …client_certificates[1].key_file}),
 * and a configured trigger's {@code webhook.client_certificate} checked against the names.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfigClientCertificatesTest {

  private static final String SOURCE = """
      sources:
        - name: positions
          type: loadgen
          key_columns: [account]
      """;

  private static final String TWO_CERTIFICATES = """
      delivery:
        tls:
          client_certificates:
            - { name: partner_a, cert_file: /etc/a.pem, key_file: /etc/a.key }
            - { name: partner-b, cert_file: /etc/b.pem, key_file: /etc/b.key }
      """;

  private static String trigger(String certificate) {
    return """
        triggers:
          - name: hook
            source: positions
            webhook: { url: "https://hooks.example.com/h", client_certificate: %s }
            fire: { net_position: { _gt: 5000 } }
        """.formatted(certificate);
  }

  /** Verifies that named certificates are bound in order, and none by default. */
  @Test
  void bindsTheNamedCertificatesInOrder() {
    assertThat(load(SOURCE).delivery().tls().clientCertificates()).isEmpty();

    DeliveryTlsConfig tls = load(SOURCE + TWO_CERTIFICATES).delivery().tls();

    assertThat(tls.clientCertificates()).containsExactly(
        new ClientCertificateConfig("partner_a", Path.of("/etc/a.pem"), Path.of("/etc/a.key")),
        new ClientCertificateConfig("partner-b", Path.of("/etc/b.pem"), Path.of("/etc/b.key")));
    assertThat(tls.clientCertificateNames()).containsExactly("partner_a", "partner-b");
    assertThat(tls.clientCertFile()).isNull();
  }

  /** Verifies that each malformed entry stops the start naming the entry's field. */
  @Test
  void refusesMalformedEntriesNamingTheirField() {
    assertRejected(entries("{ name: a, cert_file: /a.pem, key_file: /a.key }", "{ name: b, cert_file: /b.pem }"),
        "delivery.tls.client_certificates[1].key_file", "required");
    assertRejected(entries("{ name: a, key_file: /a.key }"), "delivery.tls.client_certificates[0].cert_file",
        "required");
    assertRejected(entries("{ name: a, cert_file: /a.pem, key_file: ' ' }"),
        "delivery.tls.client_certificates[0].key_file", "blank");
    assertRejected(entries("{ name: Partner, cert_file: /a.pem, key_file: /a.key }"),
        "delivery.tls.client_certificates[0].name", "'Partner'");
    assertRejected(entries("{ cert_file: /a.pem, key_file: /a.key }"),
        "delivery.tls.client_certificates[0].name", "missing");
    assertRejected(entries("{ name: a, cert_file: /a.pem, key_file: /a.key }",
        "{ name: a, cert_file: /b.pem, key_file: /b.key }"), "delivery.tls.client_certificates[1].name", "duplicate");
    assertRejected(entries("{ name: a, cert: /a.pem, key_file: /a.key }"), "delivery.tls.client_certificates[0].cert",
        "unknown field");
  }

  /** Verifies that a configured trigger naming a certificate that is not configured stops the start. */
  @Test
  void checksConfiguredTriggersAgainstTheNames() {
    assertRejected(SOURCE + TWO_CERTIFICATES + trigger("partner_c"), "triggers[0].webhook.client_certificate",
        "[partner_a, partner-b]");
    assertRejected(SOURCE + trigger("partner_a"), "triggers[0].webhook.client_certificate", "partner_a");
    assertRejected(SOURCE + TWO_CERTIFICATES + trigger("'Partner A'"), "triggers[0].webhook.client_certificate",
        "a-z");

    TriggersConfig config = load(SOURCE + TWO_CERTIFICATES + trigger("partner-b"));
    assertThat(config.triggers().get(0).definition().webhook().clientCertificate()).isEqualTo("partner-b");
  }

  private static String entries(String... entries) {
    return SOURCE + "delivery:\n  tls:\n    client_certificates:\n"
        + String.join("", List.of(entries).stream().map(entry -> "      - " + entry + "\n").toList());
  }

  private static TriggersConfig load(String yaml) {
    return ConfigLoader.load(yaml, "config.yaml", Map.of());
  }

  private static void assertRejected(String yaml, String field, String mentioned) {
    assertThatThrownBy(() -> load(yaml))
        .as(yaml)
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.getMessage()).contains(mentioned);
        });
  }
}
