package io.tycostream.triggers.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verifies the {@code logging} section: defaults, binding, the env override and errors naming the field. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfigLoggingTest {

  private static final String SOURCE = """
      sources:
        - name: positions
          type: loadgen
          key_columns: [account]
      """;

  /** Verifies that a file without the section logs text lines at INFO, as before. */
  @Test
  void textAtInfoWhenAbsent() {
    assertThat(load(SOURCE, Map.of()).logging()).isEqualTo(new LoggingConfig(LogFormat.TEXT, "INFO"));
    assertThat(LoggingConfig.defaults()).isEqualTo(new LoggingConfig(LogFormat.TEXT, "INFO"));
  }

  /** Verifies that the file's format and level are bound, ignoring case. */
  @Test
  void bindsFormatAndLevel() {
    TriggersConfig config = load(SOURCE + "logging: { format: JSON, level: debug }", Map.of());

    assertThat(config.logging()).isEqualTo(new LoggingConfig(LogFormat.JSON, "DEBUG"));
  }

  /** Verifies that {@code TYCOSTREAM_LOGGING__FORMAT} switches the format of a file that has no logging section. */
  @Test
  void environmentOverridesTheFormat() {
    TriggersConfig config = load(SOURCE, Map.of("TYCOSTREAM_LOGGING__FORMAT", "json",
        "TYCOSTREAM_LOGGING__LEVEL", "warn"));

    assertThat(config.logging()).isEqualTo(new LoggingConfig(LogFormat.JSON, "WARN"));
  }

  /** Verifies that a bad value or an unknown field stops the start naming the field. */
  @Test
  void refusesBadValuesNamingTheField() {
    assertThatThrownBy(() -> load(SOURCE + "logging: { format: xml }", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("logging.format: unknown format 'xml' (expected one of text, json)");
    assertThatThrownBy(() -> load(SOURCE + "logging: { level: loud }", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("logging.level: unknown level 'LOUD'");
    assertThatThrownBy(() -> load(SOURCE + "logging: { colour: true }", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("logging.colour: unknown field");
    assertThatThrownBy(() -> load(SOURCE, Map.of("TYCOSTREAM_LOGGING__FORMAT", "yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("logging.format").hasMessageContaining("TYCOSTREAM_LOGGING__FORMAT");
  }

  private static TriggersConfig load(String yaml, Map<String, String> env) {
    return ConfigLoader.load(yaml, "config.yaml", env);
  }
}
