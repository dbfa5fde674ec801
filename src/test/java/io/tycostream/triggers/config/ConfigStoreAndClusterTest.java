package io.tycostream.triggers.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verifies the {@code store} and {@code cluster} sections: defaults, binding, env overrides and field-naming errors. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfigStoreAndClusterTest {

  private static final String SOURCE = """
      sources:
        - name: positions
          type: loadgen
          key_columns: [account]
      """;

  private static final String POSTGRES_STORE = """
      store:
        type: postgres
      """;

  /** Verifies that a file without either section runs as before: SQLite in data_dir, no cluster. */
  @Test
  void defaultsWhenAbsent() {
    // GIVEN a file with only a source, WHEN it is loaded
    TriggersConfig config = load(SOURCE, Map.of());

    // THEN the store is SQLite in ./data, the PostgreSQL settings are at their defaults, and clustering is off
    assertThat(config.store().type()).isEqualTo(StoreType.SQLITE);
    assertThat(config.dataDir()).isEqualTo(Path.of("data"));
    assertThat(config.store().postgres())
        .isEqualTo(new PostgresStoreConfig("localhost", 5432, "tycostream", "tycostream", null, "prefer", 8));
    assertThat(config.cluster())
        .isEqualTo(new ClusterConfig(false, "tycostream", "127.0.0.1", 5701, List.of()));
    assertThat(config.store()).isEqualTo(StoreConfig.defaults());
    assertThat(config.cluster()).isEqualTo(ClusterConfig.defaults());
  }

  /** Verifies that the convenience constructor, used by tests and embedders, gets the same defaults as the file. */
  @Test
  void convenienceConstructorUsesTheDefaults() {
    TriggersConfig config = new TriggersConfig(AdminConfig.defaults(), List.of());

    assertThat(config.store()).isEqualTo(StoreConfig.defaults());
    assertThat(config.cluster()).isEqualTo(ClusterConfig.defaults());
  }

  /** Verifies that the type is SQLite when the store section is there but says nothing about it. */
  @Test
  void storeTypeDefaultsToSqliteWithinTheSection() {
    TriggersConfig config = load(SOURCE + "store: { postgres: { pool_size: 2 } }", Map.of());

    assertThat(config.store().type()).isEqualTo(StoreType.SQLITE);
    assertThat(config.store().postgres().poolSize()).isEqualTo(2);
  }

  /** Verifies that every field of both sections is read, and the password comes from the named variable. */
  @Test
  void bindsFullPostgresAndClusterSections() {
    // GIVEN every store and cluster field set, the password in the environment
    String yaml = SOURCE + """
        store:
          type: POSTGRES
          postgres:
            host: pg.internal
            port: 6432
            database: triggers
            user: svc
            password_env: PG_PW
            ssl_mode: verify-full
            pool_size: 16
        cluster:
          enabled: true
          name: prod
          host: 10.0.0.5
          port: 5801
          members: ["10.0.0.5:5801", "10.0.0.6:5801", "[::1]:5701"]
        """;
    Map<String, String> env = Map.of("PG_PW", "s3cret");

    // WHEN it is loaded
    TriggersConfig config = load(yaml, env);

    // THEN each value is there; the type's case does not matter; the password is resolved only on request
    assertThat(config.store()).isEqualTo(new StoreConfig(StoreType.POSTGRES,
        new PostgresStoreConfig("pg.internal", 6432, "triggers", "svc", "PG_PW", "verify-full", 16)));
    assertThat(config.store().postgres().password(env)).isEqualTo("s3cret");
    assertThat(config.store().postgres().toString()).doesNotContain("s3cret");
    assertThat(config.cluster()).isEqualTo(new ClusterConfig(true, "prod", "10.0.0.5", 5801,
        List.of("10.0.0.5:5801", "10.0.0.6:5801", "[::1]:5701")));
  }

  /** Verifies that a postgres store without password_env has no password, and one whose variable is unset fails. */
  @Test
  void passwordComesOnlyFromTheNamedVariable() {
    // GIVEN no password_env, THEN no password
    assertThat(load(SOURCE + POSTGRES_STORE, Map.of()).store().postgres().password(Map.of())).isNull();

    // GIVEN password_env naming an unset variable, THEN the start fails on password_env
    assertThatThrownBy(() -> load(SOURCE + POSTGRES_STORE + "  postgres: { password_env: PG_PW }", Map.of()))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.field()).isEqualTo("store.postgres.password_env"))
        .hasMessage("store.postgres.password_env: environment variable PG_PW is not set");

    // GIVEN the same on a SQLite store, THEN nothing is checked: the variable is not needed there
    assertThat(load(SOURCE + "store: { postgres: { password_env: PG_PW } }", Map.of()).store().type())
        .isEqualTo(StoreType.SQLITE);

    // GIVEN a password in the file, THEN it is refused like a Materialize source's
    assertRejected(SOURCE + POSTGRES_STORE + "  postgres: { password: hunter2 }", "store.postgres.password");
  }

  /** Verifies that clustering on the single-node SQLite store is refused on store.type, saying why. */
  @Test
  void refusesClusterWithSqlite() {
    assertThatThrownBy(() -> load(SOURCE + "cluster: { enabled: true }", Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo("store.type"))
        .hasMessage("store.type: cluster.enabled requires store.type: postgres (SQLite is single-node: one process"
            + " per data directory)");
    assertRejected(SOURCE + "store: { type: sqlite }\ncluster: { enabled: true }", "store.type");
  }

  /** Verifies that each bad store or cluster value is refused with its path. */
  @Test
  void rejectsBadValuesNamingTheField() {
    String pg = SOURCE + POSTGRES_STORE + "  postgres: ";
    String cluster = SOURCE + POSTGRES_STORE + "cluster: ";
    assertRejected(SOURCE + "store: { type: mysql }", "store.type");
    assertRejected(SOURCE + "store: postgres", "store");
    assertRejected(pg + "{ host: ' ' }", "store.postgres.host");
    assertRejected(pg + "{ port: 0 }", "store.postgres.port");
    assertRejected(pg + "{ port: 65536 }", "store.postgres.port");
    assertRejected(pg + "{ port: five }", "store.postgres.port");
    assertRejected(pg + "{ database: '' }", "store.postgres.database");
    assertRejected(pg + "{ user: ' ' }", "store.postgres.user");
    assertRejected(pg + "{ ssl_mode: always }", "store.postgres.ssl_mode");
    assertRejected(pg + "{ pool_size: 0 }", "store.postgres.pool_size");
    assertRejected(pg + "{ password_env: ' ' }", "store.postgres.password_env");
    assertRejected(cluster + "{ enabled: yes please }", "cluster.enabled");
    assertRejected(cluster + "{ name: ' ' }", "cluster.name");
    assertRejected(cluster + "{ host: '' }", "cluster.host");
    assertRejected(cluster + "{ port: 0 }", "cluster.port");
    assertRejected(cluster + "{ port: 70000 }", "cluster.port");
    assertRejected(cluster + "{ members: { a: b } }", "cluster.members");
    assertRejected(cluster + "{ members: ['10.0.0.5:5701', [x]] }", "cluster.members[1]");
    assertRejected(cluster + "{ members: ['10.0.0.5:5701', '10.0.0.6'] }", "cluster.members[1]");
    assertRejected(cluster + "{ members: ['10.0.0.5:5701', '10.0.0.6:0'] }", "cluster.members[1]");
    assertRejected(cluster + "{ members: ['10.0.0.5:5701', '10.0.0.6:65536'] }", "cluster.members[1]");
    assertRejected(cluster + "{ members: ['10.0.0.5:5701', '10.0.0.6:port'] }", "cluster.members[1]");
    assertRejected(cluster + "{ members: ['10.0.0.5:5701', ':5701'] }", "cluster.members[1]");
    assertRejected(cluster + "{ members: ['10.0.0.5:5701', '::1:5701'] }", "cluster.members[1]");
    assertRejected(cluster + "{ members: ['10.0.0.5:5701', '[::1:5701'] }", "cluster.members[1]");
    assertRejected(cluster + "{ members: ['node-a:5701', 'NODE-A:5701'] }", "cluster.members[1]");
  }

  /** Verifies the wording of a member error: the path, the bad value and what was expected. */
  @Test
  void memberErrorsSayWhatWasExpected() {
    assertThatThrownBy(() -> load(SOURCE + POSTGRES_STORE + "cluster: { members: ['a:1', 'a:1'] }", Map.of()))
        .hasMessage("cluster.members[1]: duplicate member 'a:1'");
    assertThatThrownBy(() -> load(SOURCE + POSTGRES_STORE + "cluster: { members: ['::1:5701'] }", Map.of()))
        .hasMessageStartingWith("cluster.members[0]: '::1:5701' looks like an IPv6 address: put it in brackets");
    assertThatThrownBy(() -> load(SOURCE + "store: { type: mysql }", Map.of()))
        .hasMessage("store.type: unknown store type 'mysql' (expected one of sqlite, postgres)");
  }

  /** Verifies that unknown fields under store, store.postgres and cluster are refused like the other sections'. */
  @Test
  void rejectsUnknownFields() {
    assertRejected(SOURCE + "store: { kind: postgres }", "store.kind");
    assertRejected(SOURCE + "store: { postgres: { poolsize: 4 } }", "store.postgres.poolsize");
    assertRejected(SOURCE + "cluster: { seeds: ['a:5701'] }", "cluster.seeds");
    assertThatThrownBy(() -> load(SOURCE + "cluster: { seeds: ['a:5701'] }", Map.of()))
        .hasMessage("cluster.seeds: unknown field (expected one of [enabled, host, members, name, port])");
  }

  /** Verifies that environment variables set the store and cluster fields, with or without them in the file. */
  @Test
  void environmentOverridesStoreAndCluster() {
    // GIVEN a file without either section and env variables for the store type, its port and the cluster
    Map<String, String> env = Map.of(
        "TYCOSTREAM_STORE__TYPE", "postgres",
        "TYCOSTREAM_STORE__POSTGRES__PORT", "6432",
        "TYCOSTREAM_STORE__POSTGRES__PASSWORD_ENV", "PG_PW",
        "PG_PW", "s3cret",
        "TYCOSTREAM_CLUSTER__ENABLED", "true",
        "TYCOSTREAM_CLUSTER__MEMBERS", "10.0.0.5:5701, 10.0.0.6:5701,[::1]:5701");

    // WHEN it is loaded
    TriggersConfig config = load(SOURCE, env);

    // THEN the environment wins, the members list split on commas
    assertThat(config.store().type()).isEqualTo(StoreType.POSTGRES);
    assertThat(config.store().postgres().port()).isEqualTo(6432);
    assertThat(config.store().postgres().password(env)).isEqualTo("s3cret");
    assertThat(config.cluster().enabled()).isTrue();
    assertThat(config.cluster().members()).containsExactly("10.0.0.5:5701", "10.0.0.6:5701", "[::1]:5701");
  }

  /** Verifies that env members replace the file's list, one by index or all at once, and an empty value clears it. */
  @Test
  void environmentReplacesTheFilesMembers() {
    String yaml = SOURCE + POSTGRES_STORE + "cluster: { members: ['a:5701', 'b:5701'] }";

    assertThat(load(yaml, Map.of("TYCOSTREAM_CLUSTER__MEMBERS", "c:5701,d:5701")).cluster().members())
        .containsExactly("c:5701", "d:5701");
    assertThat(load(yaml, Map.of("TYCOSTREAM_CLUSTER__MEMBERS__1", "e:5701")).cluster().members())
        .containsExactly("a:5701", "e:5701");
    assertThat(load(yaml, Map.of("TYCOSTREAM_CLUSTER__MEMBERS__2", "f:5701")).cluster().members())
        .containsExactly("a:5701", "b:5701", "f:5701");
    assertThat(load(yaml, Map.of("TYCOSTREAM_CLUSTER__MEMBERS", "")).cluster().members()).isEmpty();
    assertThat(load(SOURCE, Map.of("TYCOSTREAM_CLUSTER__MEMBERS__0", "g:5701")).cluster().members())
        .containsExactly("g:5701");
  }

  /** Verifies that an error in an env-set field names both the field and the variable that set it. */
  @Test
  void environmentErrorsNameTheVariable() {
    assertThatThrownBy(() -> load(SOURCE, Map.of("TYCOSTREAM_STORE__POSTGRES__PORT", "0")))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.field()).isEqualTo("store.postgres.port"))
        .hasMessageEndingWith("(set by TYCOSTREAM_STORE__POSTGRES__PORT)");
    assertThatThrownBy(() -> load(SOURCE, Map.of("TYCOSTREAM_STORE__TYPE", "oracle")))
        .hasMessage("store.type: unknown store type 'oracle' (expected one of sqlite, postgres)"
            + " (set by TYCOSTREAM_STORE__TYPE)");
    // AND an error in one item of a list set as a whole names the variable that set the list
    assertThatThrownBy(() -> load(SOURCE, Map.of("TYCOSTREAM_CLUSTER__MEMBERS", "a:5701,a:5701")))
        .hasMessage("cluster.members[1]: duplicate member 'a:5701' (set by TYCOSTREAM_CLUSTER__MEMBERS)");
  }

  /** Verifies that the shipped conf/config.yaml keeps the single-node default. */
  @Test
  void shippedConfigurationStaysSingleNode() {
    TriggersConfig config = ConfigLoader.load(Path.of("conf", "config.yaml"), Map.of());

    assertThat(config.store()).isEqualTo(StoreConfig.defaults());
    assertThat(config.cluster()).isEqualTo(ClusterConfig.defaults());
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
