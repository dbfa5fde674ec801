package io.tycostream.triggers.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Verifies the configuration side of per-trigger alert URLs: a configured trigger's {@code alert_url} is read and
 * held to the delivery target rules at start-up, and a configured alert endpoint may not take a name that the
 * alert outbox reserves for triggers ({@code trigger:…}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfigTriggerAlertUrlTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String SOURCE = """
      sources:
        - name: positions
          type: loadgen
          key_columns: [account]
      """;

  /** Verifies that a configured trigger's alert_url is read. */
  @Test
  void readsAConfiguredTriggersAlertUrl() {
    String yaml = SOURCE + """
        triggers:
          - name: big
            source: positions
            webhook: { url: "https://hooks.example.com/in" }
            fire: { net_position: { _gt: 10 } }
            alert_url: "https://ops.example.com/big"
        """;

    TriggersConfig config = ConfigLoader.load(yaml, "config.yaml", Map.of());

    assertThat(config.triggers().get(0).definition().alertTarget().uri().toString())
        .isEqualTo("https://ops.example.com/big");
  }

  /** Verifies that a configured trigger's alert_url the target rules refuse stops start-up, naming the field. */
  @Test
  void refusesAnAlertUrlTheTargetRulesRefuse() {
    String yaml = SOURCE + """
        triggers:
          - name: big
            source: positions
            webhook: { url: "https://hooks.example.com/in" }
            fire: { net_position: { _gt: 10 } }
            alert_url: "http://ops.example.com/big"
        """;

    assertThatThrownBy(() -> ConfigLoader.load(yaml, "config.yaml", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("triggers[0].alert_url")
        .hasMessageContaining("https");
  }

  /** Verifies that an alert endpoint named like a trigger's outbox name is refused, naming the field. */
  @Test
  void refusesAnAlertNameReservedForTriggers() {
    String yaml = SOURCE + """
        alerts:
          - { name: "trigger:big", url: "https://ops.example.com/alerts", secret: "%s" }
        """.formatted(SECRET);

    assertThatThrownBy(() -> ConfigLoader.load(yaml, "config.yaml", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("alerts[0].name")
        .hasMessageContaining("trigger:");
  }
}
