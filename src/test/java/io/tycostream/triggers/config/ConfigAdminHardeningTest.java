package io.tycostream.triggers.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Verifies the admin hardening settings: request timeout, trigger limits and CORS origins, their defaults, their
 * environment overrides and the values refused (named by field).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfigAdminHardeningTest {

  @TempDir
  Path dir;

  /** Verifies the defaults: 30 s per request, 10,000 triggers in all and per source, no CORS. */
  @Test
  void defaultsToBoundedRequestsAndNoCors() throws IOException {
    // GIVEN a file without admin settings WHEN it is loaded
    AdminConfig admin = ConfigLoader.load(write("data_dir: data\n"), Map.of()).admin();

    // THEN the documented defaults hold
    assertThat(admin.requestTimeoutMs()).isEqualTo(30_000);
    assertThat(admin.maxTriggers()).isEqualTo(10_000);
    assertThat(admin.maxTriggersPerSource()).isEqualTo(10_000);
    assertThat(admin.corsAllowedOrigins()).isEmpty();
  }

  /** Verifies that the settings are read from the file and from the environment. */
  @Test
  void readsTheSettingsFromFileAndEnvironment() throws IOException {
    // GIVEN a file with every setting, and environment overrides
    Path file = write("""
        admin:
          request_timeout_ms: 5000
          max_triggers: 300
          max_triggers_per_source: 100
          cors_allowed_origins: [https://console.example.com, "http://localhost:3000"]
        """);

    // WHEN it is loaded, with and without the environment
    AdminConfig fromFile = ConfigLoader.load(file, Map.of()).admin();
    AdminConfig fromEnv = ConfigLoader.load(file, Map.of("TYCOSTREAM_ADMIN__MAX_TRIGGERS", "20",
        "TYCOSTREAM_ADMIN__CORS_ALLOWED_ORIGINS", "https://a.example, https://b.example:8443")).admin();

    // THEN the values are the file's, and the environment replaces them
    assertThat(fromFile.requestTimeoutMs()).isEqualTo(5_000);
    assertThat(fromFile.maxTriggers()).isEqualTo(300);
    assertThat(fromFile.maxTriggersPerSource()).isEqualTo(100);
    assertThat(fromFile.corsAllowedOrigins()).containsExactly("https://console.example.com", "http://localhost:3000");
    assertThat(fromEnv.maxTriggers()).isEqualTo(20);
    assertThat(fromEnv.corsAllowedOrigins()).containsExactly("https://a.example", "https://b.example:8443");
  }

  /** Verifies that limits below 1 and origins that are not exact are refused, naming the field. */
  @Test
  void refusesUnusableValues() {
    for (String yaml : List.of("admin:\n  max_triggers: 0\n", "admin:\n  max_triggers_per_source: -1\n",
        "admin:\n  request_timeout_ms: 0\n", "admin:\n  max_triggers: 99999999999\n")) {
      assertThatThrownBy(() -> ConfigLoader.load(write(yaml), Map.of())).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("admin." + yaml.substring(9, yaml.indexOf(':', 9)));
    }
    for (String origin : List.of("*", "https://console.example.com/", "console.example.com", "ftp://x.example",
        "https://user@x.example", "https://x.example/app")) {
      assertThatThrownBy(() -> ConfigLoader.load(write("admin:\n  cors_allowed_origins: [\"" + origin + "\"]\n"),
          Map.of())).isInstanceOf(ConfigException.class).hasMessageStartingWith("admin.cors_allowed_origins[0]");
    }
  }

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }
}
