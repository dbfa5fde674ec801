package io.tycostream.triggers.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Verifies the {@code metrics} section: its documented defaults (served, no key needed, store sampled every 5 s), the
 * values read from YAML and from {@code TYCOSTREAM_METRICS__*}, and errors that name the offending field.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfigMetricsTest {

  private static final String SOURCE = """
      sources:
        - name: positions
          type: loadgen
          key_columns: [account]
      """;

  /** Verifies that without a {@code metrics} section, /metrics is served without a key and sampled every 5 s. */
  @Test
  void servesMetricsWithoutAKeyByDefault() {
    MetricsConfig metrics = load(SOURCE, Map.of()).metrics();

    assertThat(metrics).isEqualTo(MetricsConfig.defaults());
    assertThat(metrics.enabled()).isTrue();
    assertThat(metrics.requireAuth()).isFalse();
    assertThat(metrics.storeSampleMs()).isEqualTo(5_000);
  }

  /** Verifies that every field is read from YAML. */
  @Test
  void readsEveryField() {
    String yaml = SOURCE + """
        metrics:
          enabled: false
          require_auth: true
          store_sample_ms: 2000
        """;

    assertThat(load(yaml, Map.of()).metrics()).isEqualTo(new MetricsConfig(false, true, 2_000));
  }

  /** Verifies that the environment overrides the file, as for every other section. */
  @Test
  void environmentOverridesTheFile() {
    String yaml = SOURCE + """
        metrics:
          require_auth: false
        """;

    MetricsConfig metrics = load(yaml, Map.of("TYCOSTREAM_METRICS__REQUIRE_AUTH", "true",
        "TYCOSTREAM_METRICS__STORE_SAMPLE_MS", "1000")).metrics();

    assertThat(metrics).isEqualTo(new MetricsConfig(true, true, 1_000));
  }

  /** Verifies that an unknown field is refused, naming it and the known ones. */
  @Test
  void refusesAnUnknownField() {
    assertThatThrownBy(() -> load(SOURCE + "metrics:\n  path: /prometheus\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("metrics.path")
        .hasMessageContaining("require_auth");
  }

  /** Verifies that mistyped and out-of-range values are refused, naming the field. */
  @Test
  void refusesBadValuesNamingTheField() {
    assertThatThrownBy(() -> load(SOURCE + "metrics:\n  enabled: sometimes\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("metrics.enabled");
    assertThatThrownBy(() -> load(SOURCE + "metrics:\n  store_sample_ms: 100\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("metrics.store_sample_ms")
        .hasMessageContaining("at least 500");
    assertThatThrownBy(() -> load(SOURCE + "metrics: true\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("metrics");
  }

  private static TriggersConfig load(String yaml, Map<String, String> env) {
    return ConfigLoader.load(yaml, "config.yaml", env);
  }
}
