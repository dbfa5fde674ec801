package io.tycostream.triggers.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verifies that the configuration loads from YAML with defaults, env overrides and field-naming errors. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfigLoaderTest {

  private static final String LOADGEN_SOURCE = """
      sources:
        - name: positions
          type: loadgen
          key_columns: [account]
      """;

  @TempDir
  Path dir;

  /** Verifies that a minimal file loads and every missing field takes its documented default. */
  @Test
  void fillsDefaultsForMissingFields() throws IOException {
    // GIVEN a file with one loadgen source and nothing else
    Path file = write(LOADGEN_SOURCE);

    // WHEN it is loaded
    TriggersConfig config = ConfigLoader.load(file, Map.of());

    // THEN the admin server and loadgen settings have their defaults
    assertThat(config.admin().host()).isEqualTo("127.0.0.1");
    assertThat(config.admin().port()).isEqualTo(8080);
    assertThat(config.sources()).hasSize(1);
    SourceConfig source = config.sources().get(0);
    assertThat(source.name()).isEqualTo("positions");
    assertThat(source.type()).isEqualTo(SourceType.LOADGEN);
    assertThat(source.keyColumns()).containsExactly("account");
    assertThat(source.loadgen()).isEqualTo(new LoadgenConfig(20, 250, 3, 42));
  }

  /** Verifies that each section's defaults() is what the file gives when it leaves the section out. */
  @Test
  void leftOutSectionsEqualTheirDefaults() {
    // GIVEN an empty file, WHEN it is loaded
    TriggersConfig config = ConfigLoader.load("", "config.yaml", Map.of());

    // THEN every section is its record's defaults(), and the master key file is in the default data directory
    assertThat(config.admin()).isEqualTo(AdminConfig.defaults());
    assertThat(config.delivery()).isEqualTo(DeliveryConfig.defaults());
    assertThat(config.store()).isEqualTo(StoreConfig.defaults());
    assertThat(config.cluster()).isEqualTo(ClusterConfig.defaults());
    assertThat(config.logging()).isEqualTo(LoggingConfig.defaults());
    assertThat(config.metrics()).isEqualTo(MetricsConfig.defaults());
    assertThat(config.secrets()).isEqualTo(SecretsConfig.defaults(TriggersConfig.DEFAULT_DATA_DIR));
    assertThat(config.dataDir()).isEqualTo(TriggersConfig.DEFAULT_DATA_DIR);
    assertThat(config.demoReceiver()).isEqualTo(TriggersConfig.DEFAULT_DEMO_RECEIVER);
    // AND an empty section is the same as none
    assertThat(ConfigLoader.load("admin: {}\ndelivery: {}\ncluster: {}\n", "config.yaml", Map.of()))
        .isEqualTo(config);
  }

  /** Verifies that the shipped conf/config.yaml is valid. */
  @Test
  void loadsTheShippedConfiguration() {
    // GIVEN the repository's conf/config.yaml, WHEN it is loaded
    TriggersConfig config = ConfigLoader.load(Path.of("conf", "config.yaml"), Map.of());

    // THEN it declares the loadgen positions source
    assertThat(config.sourceNames()).containsExactly("positions");
  }

  /** Verifies that environment variables override file values, including list entries and nested blocks. */
  @Test
  void environmentOverridesWin() throws IOException {
    // GIVEN a file with a materialize source and env overrides for the admin port and the materialize host
    Path file = write("""
        admin:
          port: 8080
        sources:
          - name: orders
            type: materialize
            view: public.orders_mv
            key_columns: [id]
            materialize:
              host: localhost
              password_env: MZ_PASSWORD
        """);
    Map<String, String> env = Map.of(
        "TYCOSTREAM_ADMIN__PORT", "9090",
        "TYCOSTREAM_SOURCES__0__MATERIALIZE__HOST", "mz.example.com",
        "TYCOSTREAM_SOURCES__0__KEY_COLUMNS", "id,region",
        "MZ_PASSWORD", "s3cret",
        "UNRELATED", "x");

    // WHEN it is loaded with that environment
    TriggersConfig config = ConfigLoader.load(file, env);

    // THEN the environment values win and the password comes from the named variable
    assertThat(config.admin().port()).isEqualTo(9090);
    SourceConfig orders = config.sources().get(0);
    assertThat(orders.keyColumns()).containsExactly("id", "region");
    assertThat(orders.materialize().host()).isEqualTo("mz.example.com");
    assertThat(orders.materialize().port()).isEqualTo(6875);
    assertThat(orders.materialize().sslMode()).isEqualTo("require");
    assertThat(orders.materialize().password()).isEqualTo("s3cret");
    assertThat(orders.materialize().toString()).doesNotContain("s3cret");
  }

  /** Verifies that a whole source can be declared through the environment alone. */
  @Test
  void environmentCanAppendASource() throws IOException {
    // GIVEN an empty file and env variables describing source 0
    Path file = write("");
    Map<String, String> env = Map.of(
        "TYCOSTREAM_SOURCES__0__NAME", "ticks",
        "TYCOSTREAM_SOURCES__0__TYPE", "loadgen",
        "TYCOSTREAM_SOURCES__0__KEY_COLUMNS", "account",
        "TYCOSTREAM_SOURCES__0__LOADGEN__SEED", "7");

    // WHEN it is loaded
    TriggersConfig config = ConfigLoader.load(file, env);

    // THEN the source exists with the given values
    assertThat(config.sources()).singleElement().satisfies(source -> {
      assertThat(source.name()).isEqualTo("ticks");
      assertThat(source.keyColumns()).containsExactly("account");
      assertThat(source.loadgen().seed()).isEqualTo(7);
    });
  }

  /** Verifies that sources appended through the environment are applied in numeric index order (2 before 10). */
  @Test
  void environmentAppendsSourcesInIndexOrder() throws IOException {
    // GIVEN an empty file and eleven sources described only by env variables
    Map<String, String> env = new java.util.HashMap<>();
    for (int i = 0; i <= 10; i++) {
      env.put("TYCOSTREAM_SOURCES__" + i + "__NAME", "s" + i);
      env.put("TYCOSTREAM_SOURCES__" + i + "__TYPE", "loadgen");
      env.put("TYCOSTREAM_SOURCES__" + i + "__KEY_COLUMNS", "account");
    }

    // WHEN it is loaded
    TriggersConfig config = ConfigLoader.load(write(""), env);

    // THEN every source is present, in index order
    assertThat(config.sourceNames()).containsExactly("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9",
        "s10");
  }

  /** Verifies admin.allowed_hosts: a YAML list, comma-separated from the environment, and a bad entry named. */
  @Test
  void readsTheAllowedHosts() throws IOException {
    // GIVEN a file listing two names, and the same overridden by the environment
    Path file = write("admin:\n  allowed_hosts: [api.internal, Triggers.Example.COM]\n");

    // WHEN each is loaded THEN the names are kept (compared without case), and the environment replaces the list
    assertThat(ConfigLoader.load(file, Map.of()).admin().effectiveAllowedHosts())
        .containsExactly("api.internal", "triggers.example.com");
    assertThat(ConfigLoader.load(file, Map.of("TYCOSTREAM_ADMIN__ALLOWED_HOSTS", "a.example, b.example")).admin()
        .effectiveAllowedHosts()).containsExactly("a.example", "b.example");
    // AND the default is the loopback names, plus the bind address when it is not a wildcard
    assertThat(ConfigLoader.load(write("admin:\n  host: 0.0.0.0\n"), Map.of()).admin().effectiveAllowedHosts())
        .containsExactly("localhost", "127.0.0.1", "::1");
    // AND an entry with a port is refused, naming it
    assertThatThrownBy(() -> ConfigLoader.load(write("admin:\n  allowed_hosts: [\"api.internal:8080\"]\n"),
        Map.of())).isInstanceOf(ConfigException.class).hasMessageStartingWith("admin.allowed_hosts[0]");
  }

  /** Verifies the authentication settings: the bootstrap key from the environment, its length, auth off only on loopback. */
  @Test
  void readsTheAuthenticationSettings() throws IOException {
    // GIVEN the bootstrap key through the documented environment override
    String key = "an-admin-key-of-at-least-32-characters";
    AdminConfig admin = ConfigLoader.load(write("admin:\n  host: 0.0.0.0\n"),
        Map.of("TYCOSTREAM_ADMIN__BOOTSTRAP_KEY", key)).admin();

    // THEN authentication is on by default, the key is the configured one, and the config's text never shows it
    assertThat(admin.authEnabled()).isTrue();
    assertThat(admin.bootstrapKey()).isEqualTo(key);
    assertThat(admin.toString()).doesNotContain(key).contains("bootstrapKey=(set)");
    // AND a short key is refused, naming the field
    assertThatThrownBy(() -> ConfigLoader.load(write("admin:\n  bootstrap_key: short\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("admin.bootstrap_key");
    // AND authentication may be off on a loopback bind, never on another interface
    assertThat(ConfigLoader.load(write("admin:\n  host: 127.0.0.1\n  auth_enabled: false\n"), Map.of()).admin()
        .authEnabled()).isFalse();
    assertThat(ConfigLoader.load(write("admin:\n  host: \"::1\"\n  auth_enabled: false\n"), Map.of()).admin()
        .authEnabled()).isFalse();
    for (String host : new String[] {"0.0.0.0", "10.1.2.3", "triggers.example.com", "::"}) {
      assertThatThrownBy(() -> ConfigLoader.load(write("admin:\n  host: \"" + host + "\"\n  auth_enabled: false\n"),
          Map.of())).as(host).isInstanceOf(ConfigException.class).hasMessageStartingWith("admin.auth_enabled");
    }
  }

  /** Verifies that a number no decimal can hold is a configuration error, not a crash. */
  @Test
  void refusesANumberThatCannotBeRepresented() throws IOException {
    // GIVEN a file whose admin port has an exponent beyond an int
    Path file = write("admin:\n  port: 1E+2147483648\n");

    // WHEN it is loaded THEN a ConfigException names the line and the value
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("1E+2147483648");
  }

  /** Verifies that an unknown source type is named with the source index and the accepted types. */
  @Test
  void rejectsUnknownSourceType() throws IOException {
    Path file = write(LOADGEN_SOURCE + """
          - name: orders
            type: kafka
            key_columns: [id]
        """);

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("sources[1].type: unknown source type 'kafka' (expected materialize or loadgen)");
  }

  /** Verifies that a source without key columns is refused, naming the field. */
  @Test
  void rejectsMissingKeyColumns() throws IOException {
    Path file = write("""
        sources:
          - name: positions
            type: loadgen
        """);

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("sources[0].key_columns: must not be empty");
  }

  /** Verifies that a YAML syntax error names the file and the line. */
  @Test
  void rejectsMalformedYaml() throws IOException {
    Path file = write("""
        admin:
          port: 8080
          host: [unclosed
        sources: []
        """);

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("config.yaml: malformed YAML at line ");
  }

  /** Verifies that an unknown (for example misspelt) field is refused with its full path. */
  @Test
  void rejectsUnknownField() throws IOException {
    Path file = write("""
        sources:
          - name: positions
            type: loadgen
            key_columns: [account]
            loadgen: { entities: 5, intervall_ms: 100 }
        """);

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("sources[0].loadgen.intervall_ms: unknown field");
  }

  /** Verifies that out-of-range and non-numeric ports are refused, also when set from the environment. */
  @Test
  void rejectsBadPorts() throws IOException {
    Path outOfRange = write("admin:\n  port: 70000\n");
    assertThatThrownBy(() -> ConfigLoader.load(outOfRange, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin.port: port 70000 is out of range (0..65535)");

    Path valid = write("admin:\n  port: 8080\n");
    assertThatThrownBy(() -> ConfigLoader.load(valid, Map.of("TYCOSTREAM_ADMIN__PORT", "http")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin.port: expected an integer, got 'http' (set by TYCOSTREAM_ADMIN__PORT)");
    // AND an empty value is refused rather than read as the default
    assertThatThrownBy(() -> ConfigLoader.load(valid, Map.of("TYCOSTREAM_ADMIN__PORT", "")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("admin.port: expected an integer")
        .hasMessageEndingWith("(set by TYCOSTREAM_ADMIN__PORT)");
    assertThatThrownBy(() -> ConfigLoader.load(valid, Map.of("TYCOSTREAM_DEMO_RECEIVER", "")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("demo_receiver: expected true or false");
  }

  /** Verifies the rules of materialize sources: block required, ssl mode known, password only from env. */
  @Test
  void rejectsBadMaterializeSources() throws IOException {
    String base = """
        sources:
          - name: orders
            type: materialize
            view: orders_mv
            key_columns: [id]
        """;
    assertThatThrownBy(() -> ConfigLoader.load(write(base), Map.of()))
        .hasMessage("sources[0].materialize: is required for type materialize");
    assertThatThrownBy(() -> ConfigLoader.load(write(base + "    materialize: { host: h, ssl_mode: strict }\n"),
        Map.of()))
        .hasMessageStartingWith("sources[0].materialize.ssl_mode: unknown ssl mode 'strict'");
    assertThatThrownBy(() -> ConfigLoader.load(write(base + "    materialize: { host: h, password: pw }\n"),
        Map.of()))
        .hasMessageStartingWith("sources[0].materialize.password: not allowed in the file");
    assertThatThrownBy(() -> ConfigLoader.load(write(base + "    materialize: { host: h, password_env: MZ_PW }\n"),
        Map.of()))
        .hasMessage("sources[0].materialize.password_env: environment variable MZ_PW is not set");
  }

  /** Verifies that source names must be unique and of the allowed alphabet. */
  @Test
  void rejectsBadOrDuplicateNames() throws IOException {
    assertThatThrownBy(() -> ConfigLoader.load(write(LOADGEN_SOURCE + LOADGEN_SOURCE.substring(9)), Map.of()))
        .hasMessage("sources[1].name: duplicate source name 'positions'");
    assertThatThrownBy(() -> ConfigLoader.load(write(LOADGEN_SOURCE.replace("positions", "Positions-1")), Map.of()))
        .hasMessage("sources[0].name: 'Positions-1' must match [a-z0-9_]+");
    assertThatThrownBy(() -> ConfigLoader.load(write(LOADGEN_SOURCE + "    loadgen: { entities: 0 }\n"), Map.of()))
        .hasMessage("sources[0].loadgen.entities: must be positive, got 0");
  }

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }
}
