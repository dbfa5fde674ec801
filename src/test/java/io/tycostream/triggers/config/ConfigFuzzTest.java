package io.tycostream.triggers.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tycostream.triggers.testkit.JsonFuzzer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the configuration loader as an operator's typos and an outside fuzzer would: seeded mutations
 * ({@link JsonFuzzer}) of the shipped files and of a file using every section, given as the file (JSON is YAML) and
 * as {@code TYCOSTREAM_<PATH>} overrides with odd values. Every load either succeeds or fails with a
 * {@link ConfigException} whose message starts with the field it names — never another exception (the start-up
 * error would then be a stack trace instead of a sentence). {@code -Dfuzz.seed} and {@code -Dfuzz.requests} as in the
 * admin API's fuzz test.
 */
class ConfigFuzzTest {

  private static final long SEED = Long.getLong("fuzz.seed", 20_261_201L);
  private static final int LOADS = Integer.getInteger("fuzz.requests", 1_500) * 2;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String EVERY_SECTION = """
      admin: { host: 127.0.0.1, port: 8080, auth_enabled: true, allowed_hosts: [localhost], max_triggers: 100 }
      sources:
        - name: positions
          type: materialize
          view: positions_v
          key_columns: [account, desk]
          materialize: { host: localhost, port: 6875, user: materialize, password_env: MZ_PASSWORD,
                         ssl_mode: disable }
        - name: ticks
          type: loadgen
          key_columns: [account]
          loadgen: { entities: 20, interval_ms: 250, changes_per_tick: 3, seed: 42 }
      data_dir: data
      store:
        type: postgres
        postgres: { host: pg.internal, port: 6432, database: triggers, user: svc, password_env: PG_PW,
                    ssl_mode: verify-full, pool_size: 16 }
      cluster: { enabled: true, name: prod, host: 127.0.0.1, port: 5801,
                 members: ["127.0.0.1:5801", "127.0.0.1:5802", "127.0.0.1:5803"] }
      delivery:
        require_https: true
        allowed_targets: [127.0.0.1]
        connect_timeout_ms: 2000
        request_timeout_ms: 10000
        max_in_flight: 256
        tls:
          client_certificates:
            - { name: partner_a, cert_file: /etc/a.pem, key_file: /etc/a.key }
      alerts:
        - { name: ops, url: "https://ops.example.com/alerts", secret_env: OPS_SECRET, grace_ms: 5000 }
      triggers:
        - name: big
          source: ticks
          webhook: { url: "https://hooks.example.com/big", client_certificate: partner_a }
          fire: { net_position: { _gt: 5000 } }
          clear: { net_position: { _lte: 4000 } }
          include_snapshot: true
      metrics: { enabled: true, require_auth: false, store_sample_ms: 5000 }
      logging: { format: json, level: info }
      """;
  private static final Map<String, String> ENV = Map.of("MZ_PASSWORD", "mz", "PG_PW", "pg",
      "OPS_SECRET", "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3");
  private static final List<String> KEYS = List.of("admin", "host", "port", "auth_enabled", "allowed_hosts",
      "max_triggers", "max_triggers_per_source", "client_timeout_ms", "request_timeout_ms", "readiness_grace_ms",
      "bootstrap_key", "sources", "name", "type", "view", "key_columns", "materialize", "user", "password_env",
      "ssl_mode", "loadgen", "entities", "interval_ms", "changes_per_tick", "seed", "data_dir", "store", "postgres",
      "database", "pool_size", "cluster", "enabled", "members", "delivery", "require_https", "allowed_targets",
      "connect_timeout_ms", "max_in_flight", "max_in_flight_per_endpoint", "history_retention_hours", "tls",
      "ca_file", "client_certificates", "cert_file", "key_file", "alerts", "url", "secret", "secret_env", "grace_ms",
      "triggers", "source", "webhook", "client_certificate", "fire", "clear", "include_snapshot", "metrics",
      "require_auth", "store_sample_ms", "logging", "format", "level", "secrets", "master_key", "master_key_file",
      "previous_master_keys", "demo_receiver", "_gt", "_and", "_param");

  /** Verifies that no mutated file or override fails the load with anything but a ConfigException naming a field. */
  @Test
  void mutatedConfigurationsLoadOrFailNamingTheField() throws IOException {
    // GIVEN the shipped files and one with every section, each loading as it is
    List<JsonObject> seeds = new ArrayList<>();
    for (String yaml : List.of(Files.readString(Path.of("conf", "config.yaml")),
        Files.readString(Path.of("conf", "production.yaml")), EVERY_SECTION)) {
      ConfigLoader.load(yaml, "seed.yaml", ENV);
      seeds.add(new JsonObject(YAML.readValue(yaml, Map.class)));
    }
    JsonFuzzer fuzzer = new JsonFuzzer(SEED, KEYS);
    List<String> failures = new ArrayList<>();
    int refused = 0;

    // WHEN mutated files are loaded, and files with odd overrides
    for (int i = 0; i < LOADS; i++) {
      JsonObject seed = fuzzer.pick(seeds);
      String file;
      Map<String, String> env = new HashMap<>(ENV);
      if (fuzzer.nextInt(4) == 0) {
        file = seed.encode();
        env.put(ConfigLoader.ENV_PREFIX + fuzzer.pick(List.of("ADMIN__PORT", "ADMIN__HOST", "SOURCES__0__KEY_COLUMNS",
            "SOURCES__1__LOADGEN__ENTITIES", "DELIVERY__REQUIRE_HTTPS", "STORE__POSTGRES__POOL_SIZE",
            "CLUSTER__MEMBERS", "TRIGGERS__0__FIRE", "ALERTS__0__URL", "SECRETS__MASTER_KEY", "LOGGING__FORMAT",
            "SOURCES__9__NAME", "NO_SUCH__FIELD", "ADMIN__BOOTSTRAP_KEY", "DATA_DIR")), fuzzer.oddText());
      } else {
        file = fuzzer.mutate(seed);
      }
      try {
        ConfigLoader.load(file, "fuzz.yaml", env);
      } catch (ConfigException refusal) {
        refused++;
        if (refusal.field() == null || !refusal.getMessage().startsWith(refusal.field() + ": ")) {
          failures.add("refusal without its field first: " + refusal.getMessage() + " <- " + abbreviated(file));
        }
      } catch (RuntimeException | StackOverflowError other) {
        failures.add(other + " <- " + abbreviated(file) + " " + env);
      }
    }

    // THEN every load succeeded or was refused naming the field
    System.out.printf("config fuzz [seed: %d, loads: %d, refused: %d, problems: %d]%n", SEED, LOADS, refused,
        failures.size());
    assertThat(failures.subList(0, Math.min(20, failures.size()))).as("seed %d", SEED).isEmpty();
  }

  private static String abbreviated(String text) {
    return text.length() <= 400 ? text : text.substring(0, 400) + "…(" + text.length() + " chars)";
  }
}
