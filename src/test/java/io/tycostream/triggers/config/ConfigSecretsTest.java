package io.tycostream.triggers.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tycostream.triggers.testkit.TestMasterKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verifies the {@code secrets} section: defaults, environment overrides and refused keys. */
class ConfigSecretsTest {

  @TempDir
  Path dir;

  /** Verifies that without a section the key file in the data directory is used and no key is configured. */
  @Test
  void defaultsToTheKeyFileInTheDataDirectory() throws IOException {
    TriggersConfig config = ConfigLoader.load(write("data_dir: /var/lib/tycostream\n"), Map.of());

    assertThat(config.secrets().masterKey()).isNull();
    assertThat(config.secrets().masterKeyFile()).isEqualTo(Path.of("/var/lib/tycostream", "master.key"));
    assertThat(config.secrets().previousMasterKeys()).isEmpty();
  }

  /** Verifies that the master key and previous keys come from the environment, and never show in toString. */
  @Test
  void keysComeFromTheEnvironment() throws IOException {
    String current = TestMasterKeys.SECOND.toBase64();
    String previous = TestMasterKeys.FIRST.toBase64();

    TriggersConfig config = ConfigLoader.load(write("data_dir: data\n"), Map.of(
        "TYCOSTREAM_SECRETS__MASTER_KEY", current,
        "TYCOSTREAM_SECRETS__PREVIOUS_MASTER_KEYS", previous));

    assertThat(config.secrets().masterKey()).isEqualTo(current);
    assertThat(config.secrets().previousMasterKeys()).containsExactly(previous);
    assertThat(config.secrets().toString()).doesNotContain(current).doesNotContain(previous);
  }

  /** Verifies that a key that is not base64 of 32 bytes is refused naming the field, not the value. */
  @Test
  void refusesInvalidKeysNamingTheField() throws IOException {
    Path file = write("secrets:\n  master_key: c2hvcnQ=\n");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("secrets.master_key")
        .hasMessageContaining("32 bytes")
        .hasMessageNotContaining("c2hvcnQ=");
    assertThatThrownBy(() -> ConfigLoader.load(write("secrets:\n  previous_master_keys: [nope]\n"), Map.of()))
        .hasMessageContaining("secrets.previous_master_keys[0]");
    assertThatThrownBy(() -> ConfigLoader.load(write("secrets:\n  master_keys: x\n"), Map.of()))
        .hasMessageContaining("secrets.master_keys");
  }

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }
}
