package io.tycostream.triggers.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Verifies the {@code alerts} section: endpoints with a name, a URL under the delivery target rules and a
 * {@code whsec_} secret (inline, through {@code secret_env} or the usual environment override), the grace period,
 * and errors that name the offending field.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfigAlertsTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String SOURCE = """
      sources:
        - name: positions
          type: loadgen
          key_columns: [account]
      """;

  /** Verifies that no alerts are configured by default. */
  @Test
  void hasNoAlertsByDefault() {
    assertThat(load(SOURCE, Map.of()).alerts()).isEmpty();
  }

  /** Verifies that an endpoint, the default grace period and a per-alert grace period are read. */
  @Test
  void readsEndpointsWithTheirGracePeriods() {
    // GIVEN two endpoints, one with its own grace period, and a service-wide default
    String yaml = SOURCE + """
        alerts_grace_ms: 45000
        alerts:
          - { name: ops, url: "https://ops.example.com/alerts", secret: "%s" }
          - { name: pager, url: "https://pager.example.com/in", secret_env: PAGER_SECRET, grace_ms: 5000 }
        """.formatted(SECRET);

    // WHEN it is loaded
    TriggersConfig config = load(yaml, Map.of("PAGER_SECRET", SECRET));

    // THEN both are there, the first with the service-wide grace period
    assertThat(config.alerts()).containsExactly(
        new AlertConfig("ops", "https://ops.example.com/alerts", SECRET, 45_000),
        new AlertConfig("pager", "https://pager.example.com/in", SECRET, 5_000));
  }

  /** Verifies that the grace period defaults to 30 s and that the secret can come from the usual override. */
  @Test
  void takesTheSecretFromTheEnvironmentOverride() {
    String yaml = SOURCE + """
        alerts:
          - { name: ops, url: "https://ops.example.com/alerts" }
        """;

    AlertConfig alert = load(yaml, Map.of("TYCOSTREAM_ALERTS__0__SECRET", SECRET)).alerts().get(0);

    assertThat(alert.secret()).isEqualTo(SECRET);
    assertThat(alert.graceMs()).isEqualTo(AlertConfig.DEFAULT_GRACE_MS);
    assertThat(alert.toString()).doesNotContain(SECRET);
  }

  /** Verifies that a URL that is no URL is refused, naming the field. */
  @Test
  void refusesABadUrl() {
    String yaml = SOURCE + """
        alerts:
          - { name: ops, url: "not a url", secret: "%s" }
        """.formatted(SECRET);

    assertThatThrownBy(() -> load(yaml, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("alerts[0].url");
  }

  /** Verifies that an http URL is refused while https is required, as for trigger webhooks. */
  @Test
  void refusesHttpWhileHttpsIsRequired() {
    String yaml = SOURCE + """
        alerts:
          - { name: ops, url: "http://ops.example.com/alerts", secret: "%s" }
        """.formatted(SECRET);

    assertThatThrownBy(() -> load(yaml, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("alerts[0].url")
        .hasMessageContaining("must use https");
  }

  /** Verifies that an internal address is refused unless allowed, as for trigger webhooks (SSRF). */
  @Test
  void refusesAnInternalTargetUnlessAllowed() {
    String yaml = SOURCE + """
        delivery: { require_https: false }
        alerts:
          - { name: ops, url: "http://127.0.0.1:9000/alerts", secret: "%s" }
        """.formatted(SECRET);

    assertThatThrownBy(() -> load(yaml, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("alerts[0].url");
    assertThat(load(yaml.replace("require_https: false", "require_https: false, allowed_targets: [127.0.0.1]"),
        Map.of()).alerts()).hasSize(1);
  }

  /** Verifies that a secret not in whsec_ form is refused, naming the field and not echoing the value. */
  @Test
  void refusesABadSecret() {
    String yaml = SOURCE + """
        alerts:
          - { name: ops, url: "https://ops.example.com/alerts", secret: "hunter2-not-a-secret" }
        """;

    assertThatThrownBy(() -> load(yaml, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("alerts[0].secret")
        .hasMessageNotContaining("hunter2");
  }

  /** Verifies that a missing secret, an unset secret_env and a duplicate name are refused, naming the field. */
  @Test
  void refusesMissingSecretsAndDuplicateNames() {
    assertThatThrownBy(() -> load(SOURCE + """
        alerts:
          - { name: ops, url: "https://ops.example.com/alerts" }
        """, Map.of()))
        .hasMessageContaining("alerts[0].secret");
    assertThatThrownBy(() -> load(SOURCE + """
        alerts:
          - { name: ops, url: "https://ops.example.com/alerts", secret_env: NOT_SET }
        """, Map.of()))
        .hasMessageContaining("alerts[0].secret_env");
    assertThatThrownBy(() -> load(SOURCE + """
        alerts:
          - { name: ops, url: "https://a.example.com/alerts", secret: "%1$s" }
          - { name: ops, url: "https://b.example.com/alerts", secret: "%1$s" }
        """.formatted(SECRET), Map.of()))
        .hasMessageContaining("alerts[1].name");
  }

  private static TriggersConfig load(String yaml, Map<String, String> env) {
    return ConfigLoader.load(yaml, "config.yaml", env);
  }
}
