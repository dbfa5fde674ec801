package io.tycostream.triggers.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tycostream.triggers.definition.WebhookTargetPolicy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Verifies that conf/production.yaml, the configuration the Docker image runs, loads through the real loader and
 * holds the secure settings: https required, no internal target, no demo, admin on every interface answering only
 * the documented host names, and no admin key in the file.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProductionConfigTest {

  private static final Path PRODUCTION = Path.of("conf", "production.yaml");

  /** Verifies the security-relevant settings of the production file. */
  @Test
  void runsWithTheSecureSettings() throws Exception {
    // GIVEN the production file, WHEN it is loaded without any environment
    TriggersConfig config = ConfigLoader.load(PRODUCTION, Map.of());

    // THEN webhooks need https and reach no internal address, and nothing of the demo runs
    assertThat(config.delivery().requireHttps()).isTrue();
    assertThat(config.delivery().allowPrivateTargets()).isFalse();
    assertThat(config.delivery().allowedTargets()).isEmpty();
    assertThat(config.demoReceiver()).isFalse();
    assertThat(config.triggers()).isEmpty();
    WebhookTargetPolicy targets = config.delivery().targetPolicy();
    assertThat(targets.refusal(URI.create("http://hooks.example.com/h"))).isPresent();
    assertThat(targets.refusal(URI.create("https://169.254.169.254/latest/meta-data"))).isPresent();
    assertThat(targets.refusal(URI.create("https://hooks.example.com/h"))).isEmpty();
    // AND the admin server listens on every interface, needs API keys, and answers the API for the listed names only
    assertThat(config.admin().host()).isEqualTo("0.0.0.0");
    assertThat(config.admin().authEnabled()).isTrue();
    assertThatThrownBy(() -> ConfigLoader.load(PRODUCTION, Map.of("TYCOSTREAM_ADMIN__AUTH_ENABLED", "false")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("admin.auth_enabled");
    assertThat(config.admin().effectiveAllowedHosts()).containsExactlyInAnyOrder("localhost", "127.0.0.1", "::1");
    // AND the store lives in the directory the image prepares, and no secret is written in the file
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/tycostream"));
    assertThat(Files.readString(PRODUCTION)).doesNotContainPattern("(?m)^\\s*bootstrap_key\\s*:");
  }

  /** Verifies that the documented environment overrides fill in a source and the admin host names. */
  @Test
  void takesSourcesAndHostNamesFromTheEnvironment() throws Exception {
    // GIVEN the overrides the file's header documents
    Map<String, String> env = Map.of(
        "TYCOSTREAM_ADMIN__ALLOWED_HOSTS", "triggers.internal.example.com",
        "TYCOSTREAM_SOURCES__0__NAME", "orders",
        "TYCOSTREAM_SOURCES__0__TYPE", "materialize",
        "TYCOSTREAM_SOURCES__0__VIEW", "public.orders_mv",
        "TYCOSTREAM_SOURCES__0__KEY_COLUMNS", "id",
        "TYCOSTREAM_SOURCES__0__MATERIALIZE__HOST", "abc123.us-east-1.aws.materialize.cloud");

    // WHEN the file is loaded with them
    TriggersConfig config = ConfigLoader.load(PRODUCTION, env);

    // THEN the source and the host name are there, and the target settings are unchanged
    assertThat(config.sourceNames()).isEqualTo(List.of("orders"));
    assertThat(config.admin().effectiveAllowedHosts()).contains("triggers.internal.example.com");
    assertThat(config.delivery().requireHttps()).isTrue();
  }

  /** Verifies that the Dockerfile runs the production file. */
  @Test
  void isWhatTheImageRuns() throws Exception {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    assertThat(dockerfile).contains("CMD [\"/app/conf/production.yaml\"]").contains("COPY conf/ /app/conf/");
  }
}
