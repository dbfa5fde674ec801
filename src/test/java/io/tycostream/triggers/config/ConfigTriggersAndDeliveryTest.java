package io.tycostream.triggers.config;

import io.tycostream.triggers.definition.TriggerDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verifies the data directory, delivery, startup-trigger and demo-receiver settings of the configuration. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfigTriggersAndDeliveryTest {

  private static final String SOURCE = """
      sources:
        - name: positions
          type: loadgen
          key_columns: [account]
      """;

  private static final String TRIGGER = """
      triggers:
        - name: big
          source: positions
          webhook: { url: "https://hooks.example.com/big" }
          fire: { net_position: { _gt: 5000.000000000000000001 } }
      """;

  /** Verifies the defaults when none of the new fields is given. */
  @Test
  void defaultsWhenAbsent() {
    // GIVEN a file with only a source, WHEN it is loaded
    TriggersConfig config = load(SOURCE, Map.of());

    // THEN the store lives in ./data, delivery refuses private targets, no triggers, no demo receiver
    assertThat(config.dataDir()).isEqualTo(Path.of("data"));
    assertThat(config.delivery()).isEqualTo(new DeliveryConfig(false, 2000, 10000, 256, 64, 168));
    assertThat(config.triggers()).isEmpty();
    assertThat(config.demoReceiver()).isFalse();
  }

  /** Verifies that every new field is read, and a trigger's decimal threshold keeps all its digits. */
  @Test
  void readsEveryField() {
    // GIVEN every new field set
    String yaml = SOURCE + TRIGGER + """
        data_dir: /var/lib/tycostream
        delivery:
          allow_private_targets: true
          connect_timeout_ms: 500
          request_timeout_ms: 3000
          max_in_flight: 8
          max_in_flight_per_endpoint: 4
          history_retention_hours: 24
        demo_receiver: true
        """;

    // WHEN it is loaded
    TriggersConfig config = load(yaml, Map.of());

    // THEN each value is there
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/tycostream"));
    assertThat(config.delivery()).isEqualTo(new DeliveryConfig(true, 500, 3000, 8, 4, 24));
    assertThat(config.demoReceiver()).isTrue();
    assertThat(config.triggers()).hasSize(1);
    TriggerDefinition big = config.triggers().get(0).definition();
    assertThat(big.name()).isEqualTo("big");
    assertThat(big.source()).isEqualTo("positions");
    assertThat(big.webhookUrl()).isEqualTo(URI.create("https://hooks.example.com/big"));
    assertThat(big.fire().getJsonObject("net_position").getValue("_gt"))
        .isEqualTo(new BigDecimal("5000.000000000000000001"));
  }

  /** Verifies that environment variables override the new fields, booleans included. */
  @Test
  void environmentOverridesTheNewFields() {
    // GIVEN a file with a trigger and env overrides for data_dir, delivery, the demo flag and the trigger's URL
    Map<String, String> env = Map.of(
        "TYCOSTREAM_DATA_DIR", "/tmp/elsewhere",
        "TYCOSTREAM_DELIVERY__ALLOW_PRIVATE_TARGETS", "true",
        "TYCOSTREAM_DELIVERY__MAX_IN_FLIGHT", "4",
        "TYCOSTREAM_DEMO_RECEIVER", "TRUE",
        "TYCOSTREAM_TRIGGERS__0__WEBHOOK__URL", "https://other.example.com/h");

    // WHEN it is loaded
    TriggersConfig config = load(SOURCE + TRIGGER, env);

    // THEN the environment wins
    assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/elsewhere"));
    assertThat(config.delivery().allowPrivateTargets()).isTrue();
    assertThat(config.delivery().maxInFlight()).isEqualTo(4);
    assertThat(config.demoReceiver()).isTrue();
    assertThat(config.triggers().get(0).definition().webhookUrl())
        .isEqualTo(URI.create("https://other.example.com/h"));
  }

  /** Verifies that each bad new field is refused with its path. */
  @Test
  void rejectsBadValuesNamingTheField() {
    assertRejected(SOURCE + "delivery: { connect_timeout_ms: 0 }", "delivery.connect_timeout_ms");
    assertRejected(SOURCE + "delivery: { max_in_flight_per_endpoint: 0 }", "delivery.max_in_flight_per_endpoint");
    assertRejected(SOURCE + "delivery: { retries: 3 }", "delivery.retries");
    assertRejected(SOURCE + "delivery: { allow_private_targets: maybe }", "delivery.allow_private_targets");
    assertRejected(SOURCE + "demo_receiver: 7", "demo_receiver");
    assertRejected(SOURCE + "data_dir: ' '", "data_dir");
    assertRejected(SOURCE + "triggers: { name: x }", "triggers");
    assertRejected(SOURCE + TRIGGER.replace("https://hooks.example.com/big", "ftp://x"), "triggers[0].webhook.url");
    assertRejected(SOURCE + TRIGGER.replace("source: positions", "source: orders"), "triggers[0].source");
    assertRejected(SOURCE + TRIGGER.replace("name: big", "name: big\n    colour: red"), "triggers[0].colour");
    assertRejected(SOURCE + TRIGGER.replace("fire: { net_position: { _gt: 5000.000000000000000001 } }", ""),
        "triggers[0].fire");
    assertRejected(SOURCE + TRIGGER + TRIGGER.replace("triggers:\n", ""), "triggers[1].name");
  }

  /** Verifies that the problem text does not repeat the field path the message already starts with. */
  @Test
  void triggerProblemsReadOnce() {
    assertThatThrownBy(() -> load(SOURCE + TRIGGER.replace("https://hooks.example.com/big", "ftp://x"), Map.of()))
        .hasMessageStartingWith("triggers[0].webhook.url: must be an absolute http or https URL");
  }

  /** Verifies that the shipped file and the built-in copy both run the same demo: a trigger to the own receiver. */
  @Test
  void shippedAndBuiltInConfigurationsRunTheDemo() throws IOException {
    // GIVEN conf/config.yaml and the built-in default-config.yaml, WHEN both are loaded
    TriggersConfig shipped = ConfigLoader.load(Path.of("conf", "config.yaml"), Map.of());
    TriggersConfig builtIn;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("default-config.yaml")) {
      builtIn = ConfigLoader.load(new String(in.readAllBytes(), StandardCharsets.UTF_8), "default-config.yaml",
          Map.of());
    }

    // THEN both create the demo trigger on the loadgen source, delivered to the service's own demo receiver
    for (TriggersConfig config : new TriggersConfig[] {shipped, builtIn}) {
      assertThat(config.demoReceiver()).isTrue();
      assertThat(config.delivery().allowPrivateTargets()).isFalse();
      assertThat(config.delivery().requireHttps()).isFalse();
      assertThat(config.delivery().allowedTargets()).containsExactly("127.0.0.1");
      assertThat(config.triggers()).hasSize(1);
      TriggerDefinition demo = config.triggers().get(0).definition();
      assertThat(demo.source()).isEqualTo("positions");
      assertThat(demo.webhookUrl()).isEqualTo(URI.create("http://127.0.0.1:" + config.admin().port()
          + "/demo/webhook"));
    }
    assertThat(builtIn.triggers()).isEqualTo(shipped.triggers());
    assertThat(builtIn.sources()).isEqualTo(shipped.sources());
  }

  private static void assertRejected(String yaml, String field) {
    assertThatThrownBy(() -> load(yaml, Map.of()))
        .as(yaml)
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  private static TriggersConfig load(String yaml, Map<String, String> env) {
    return ConfigLoader.load(yaml, "config.yaml", env);
  }
}
