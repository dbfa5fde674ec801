package io.tycostream.triggers.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.tycostream.triggers.definition.TargetAllowList;
import io.tycostream.triggers.definition.TriggerDefinitionException;
import io.tycostream.triggers.definition.TriggerDefinitionParser.ParsedTrigger;
import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.secret.MasterKey;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the parsed (and env-overridden) YAML tree into the typed records, filling named defaults and rejecting
 * unknown fields and mistyped values with the field path. Semantic checks are {@link ConfigValidator}'s.
 */
final class ConfigBinder {

  private static final Set<String> ROOT_FIELDS = Set.of("admin", "sources", "data_dir", "delivery", "triggers",
      "demo_receiver", "store", "cluster", "secrets", "alerts", "alerts_grace_ms", "logging", "metrics");
  private static final Set<String> ALERT_FIELDS = Set.of("name", "url", "secret", "secret_env", "grace_ms");
  private static final Set<String> DELIVERY_FIELDS = Set.of("allow_private_targets", "connect_timeout_ms",
      "request_timeout_ms", "max_in_flight", "max_in_flight_per_endpoint", "history_retention_hours",
      "require_https", "allowed_targets", "tls");
  private static final Set<String> DELIVERY_TLS_FIELDS = Set.of("ca_file", "client_cert_file", "client_key_file");
  private static final Set<String> ADMIN_FIELDS = Set.of("host", "port", "readiness_grace_ms", "allowed_hosts",
      "client_timeout_ms", "request_timeout_ms", "max_triggers", "max_triggers_per_source", "cors_allowed_origins",
      "auth_enabled", "bootstrap_key");
  private static final Set<String> SOURCE_FIELDS = Set.of("name", "type", "view", "key_columns", "loadgen",
      "materialize");
  private static final Set<String> LOADGEN_FIELDS = Set.of("entities", "interval_ms", "changes_per_tick", "seed");
  private static final Set<String> MATERIALIZE_FIELDS = Set.of("host", "port", "database", "user", "password_env",
      "ssl_mode", "cluster");
  private static final Set<String> STORE_FIELDS = Set.of("type", "postgres");
  private static final Set<String> POSTGRES_FIELDS = Set.of("host", "port", "database", "user", "password_env",
      "ssl_mode", "pool_size");
  private static final Set<String> SECRETS_FIELDS = Set.of("master_key", "master_key_file", "previous_master_keys");
  private static final Set<String> CLUSTER_FIELDS = Set.of("enabled", "name", "host", "port", "members");
  private static final Set<String> LOGGING_FIELDS = Set.of("format", "level");
  private static final Set<String> METRICS_FIELDS = Set.of("enabled", "require_auth", "store_sample_ms");

  private ConfigBinder() {
  }

  static TriggersConfig bind(JsonNode root, Map<String, String> env) {
    requireFields(root, "", ROOT_FIELDS);
    AdminConfig admin = admin(optionalObject(root, "", "admin"));
    List<SourceConfig> sources = new ArrayList<>();
    JsonNode list = root.get("sources");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw new ConfigException("sources", "expected a list of sources");
      }
      for (int i = 0; i < list.size(); i++) {
        sources.add(source(list.get(i), "sources[" + i + "]", env));
      }
    }
    String dataDir = text(root, "", "data_dir", TriggersConfig.DEFAULT_DATA_DIR.toString());
    if (dataDir.isBlank()) {
      throw new ConfigException("data_dir", "must not be blank");
    }
    return new TriggersConfig(admin, sources, Path.of(dataDir), delivery(optionalObject(root, "", "delivery")),
        triggers(root.get("triggers")), bool(root, "", "demo_receiver", TriggersConfig.DEFAULT_DEMO_RECEIVER),
        store(optionalObject(root, "", "store"), env), cluster(optionalObject(root, "", "cluster")),
        secrets(optionalObject(root, "", "secrets"), Path.of(dataDir)),
        alerts(root.get("alerts"), integer(root, "", "alerts_grace_ms", AlertConfig.DEFAULT_GRACE_MS), env),
        logging(optionalObject(root, "", "logging")), metrics(optionalObject(root, "", "metrics")));
  }

  private static LoggingConfig logging(JsonNode node) {
    if (node == null) {
      return LoggingConfig.defaults();
    }
    requireFields(node, "logging", LOGGING_FIELDS);
    String formatName = text(node, "logging", "format", LoggingConfig.DEFAULT_FORMAT.configName());
    LogFormat format = LogFormat.fromConfigName(formatName).orElseThrow(() -> new ConfigException("logging.format",
        "unknown format '" + formatName + "' (expected one of " + String.join(", ", LogFormat.configNames()) + ")"));
    try {
      return new LoggingConfig(format, text(node, "logging", "level", LoggingConfig.DEFAULT_LEVEL));
    } catch (IllegalArgumentException invalid) {
      throw new ConfigException("logging.level", invalid.getMessage());
    }
  }

  private static MetricsConfig metrics(JsonNode node) {
    if (node == null) {
      return MetricsConfig.defaults();
    }
    requireFields(node, "metrics", METRICS_FIELDS);
    return new MetricsConfig(bool(node, "metrics", "enabled", MetricsConfig.DEFAULT_ENABLED),
        bool(node, "metrics", "require_auth", MetricsConfig.DEFAULT_REQUIRE_AUTH),
        integer(node, "metrics", "store_sample_ms", MetricsConfig.DEFAULT_STORE_SAMPLE_MS));
  }

  /** Alert endpoints; their URLs are checked against the delivery target rules by the validator. */
  private static List<AlertConfig> alerts(JsonNode list, long defaultGraceMs, Map<String, String> env) {
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new ConfigException("alerts", "expected a list of alert endpoints");
    }
    List<AlertConfig> alerts = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String path = "alerts[" + i + "]";
      JsonNode node = list.get(i);
      if (!node.isObject()) {
        throw new ConfigException(path, "expected a mapping with name, url and secret");
      }
      requireFields(node, path, ALERT_FIELDS);
      alerts.add(new AlertConfig(text(node, path, "name", ""), text(node, path, "url", ""),
          alertSecret(node, path, env), integer(node, path, "grace_ms", defaultGraceMs)));
    }
    return alerts;
  }

  /** The secret as given inline (or by {@code TYCOSTREAM_ALERTS__<i>__SECRET}) or through {@code secret_env}. */
  private static String alertSecret(JsonNode node, String path, Map<String, String> env) {
    String inline = text(node, path, "secret", null);
    String variable = text(node, path, "secret_env", null);
    if (inline != null && variable != null) {
      throw new ConfigException(path + ".secret", "give either secret or secret_env, not both");
    }
    if (variable == null) {
      if (inline == null || inline.isBlank()) {
        throw new ConfigException(path + ".secret", "is required (a whsec_ secret, or name a variable in secret_env)");
      }
      return inline.strip();
    }
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      throw new ConfigException(path + ".secret_env", "environment variable '" + variable + "' is not set");
    }
    return value.strip();
  }

  /** Keys are checked here (base64 of 32 bytes) so a bad one stops the start naming its field, never its value. */
  private static SecretsConfig secrets(JsonNode node, Path dataDir) {
    if (node == null) {
      return SecretsConfig.defaults(dataDir);
    }
    requireFields(node, "secrets", SECRETS_FIELDS);
    String masterKey = text(node, "secrets", "master_key", null);
    if (masterKey != null && masterKey.isBlank()) {
      masterKey = null;
    }
    if (masterKey != null) {
      masterKeyValue(masterKey, "secrets.master_key");
    }
    String keyFile = text(node, "secrets", "master_key_file", null);
    if (keyFile != null && keyFile.isBlank()) {
      throw new ConfigException("secrets.master_key_file", "must not be blank");
    }
    List<String> previous = textItems(node.get("previous_master_keys"), "secrets.previous_master_keys");
    for (int i = 0; i < previous.size(); i++) {
      masterKeyValue(previous.get(i), "secrets.previous_master_keys[" + i + "]");
    }
    return new SecretsConfig(masterKey, keyFile == null ? SecretsConfig.defaultKeyFile(dataDir) : Path.of(keyFile),
        previous);
  }

  private static void masterKeyValue(String value, String path) {
    try {
      MasterKey.fromBase64(value);
    } catch (IllegalArgumentException invalid) {
      throw new ConfigException(path, invalid.getMessage().replace("a master key ", ""));
    }
  }

  /** A YAML list of text, or one comma-separated text (from the environment). */
  private static List<String> textItems(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (node.isTextual()) {
      return Arrays.stream(node.asText().split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
    }
    if (!node.isArray()) {
      throw new ConfigException(path, "expected a list");
    }
    List<String> items = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isTextual()) {
        throw new ConfigException(path + "[" + i + "]", "expected a text value");
      }
      items.add(item.asText().strip());
    }
    return items;
  }

  private static StoreConfig store(JsonNode node, Map<String, String> env) {
    if (node == null) {
      return StoreConfig.defaults();
    }
    requireFields(node, "store", STORE_FIELDS);
    String typeName = text(node, "store", "type", StoreConfig.DEFAULT_TYPE.configName());
    StoreType type = StoreType.fromConfigName(typeName).orElseThrow(() -> new ConfigException("store.type",
        "unknown store type '" + typeName + "' (expected one of " + String.join(", ", StoreType.configNames())
            + ")"));
    JsonNode postgresNode = optionalObject(node, "store", "postgres");
    PostgresStoreConfig postgres = postgresNode == null ? PostgresStoreConfig.defaults()
        : postgres(postgresNode, "store.postgres");
    if (type == StoreType.POSTGRES) {
      // like a Materialize source: a missing password stops the start, not the first connection attempt
      postgres.password(env);
    }
    return new StoreConfig(type, postgres);
  }

  private static PostgresStoreConfig postgres(JsonNode node, String path) {
    PasswordEnvironment.rejectPasswordInFile(node, path);
    requireFields(node, path, POSTGRES_FIELDS);
    return new PostgresStoreConfig(
        text(node, path, "host", PostgresStoreConfig.DEFAULT_HOST),
        (int) integer(node, path, "port", PostgresStoreConfig.DEFAULT_PORT),
        text(node, path, "database", PostgresStoreConfig.DEFAULT_DATABASE),
        text(node, path, "user", PostgresStoreConfig.DEFAULT_USER),
        text(node, path, "password_env", null),
        text(node, path, "ssl_mode", PostgresStoreConfig.DEFAULT_SSL_MODE),
        (int) integer(node, path, "pool_size", PostgresStoreConfig.DEFAULT_POOL_SIZE));
  }

  private static ClusterConfig cluster(JsonNode node) {
    if (node == null) {
      return ClusterConfig.defaults();
    }
    requireFields(node, "cluster", CLUSTER_FIELDS);
    return new ClusterConfig(
        bool(node, "cluster", "enabled", ClusterConfig.DEFAULT_ENABLED),
        text(node, "cluster", "name", ClusterConfig.DEFAULT_NAME),
        text(node, "cluster", "host", ClusterConfig.DEFAULT_HOST),
        (int) integer(node, "cluster", "port", ClusterConfig.DEFAULT_PORT),
        members(node.get("members")));
  }

  /**
   * A YAML list, or one comma-separated text: an environment variable for a field the file leaves out arrives as
   * text ({@code TYCOSTREAM_CLUSTER__MEMBERS=a:5701,b:5701}), and no {@code host:port} contains a comma.
   */
  private static List<String> members(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (node.isTextual()) {
      return Arrays.stream(node.asText().split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
    }
    if (!node.isArray()) {
      throw new ConfigException("cluster.members", "expected a list of host:port");
    }
    List<String> members = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isValueNode() || item.isNull()) {
        throw new ConfigException("cluster.members[" + i + "]", "expected host:port");
      }
      members.add(item.asText().strip());
    }
    return members;
  }

  private static DeliveryConfig delivery(JsonNode node) {
    if (node == null) {
      return DeliveryConfig.defaults();
    }
    requireFields(node, "delivery", DELIVERY_FIELDS);
    return new DeliveryConfig(
        bool(node, "delivery", "allow_private_targets", DeliveryConfig.DEFAULT_ALLOW_PRIVATE_TARGETS),
        integer(node, "delivery", "connect_timeout_ms", DeliveryConfig.DEFAULT_CONNECT_TIMEOUT_MS),
        integer(node, "delivery", "request_timeout_ms", DeliveryConfig.DEFAULT_REQUEST_TIMEOUT_MS),
        (int) integer(node, "delivery", "max_in_flight", DeliveryConfig.DEFAULT_MAX_IN_FLIGHT),
        (int) integer(node, "delivery", "max_in_flight_per_endpoint",
            DeliveryConfig.DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT),
        integer(node, "delivery", "history_retention_hours", DeliveryConfig.DEFAULT_HISTORY_RETENTION_HOURS),
        bool(node, "delivery", "require_https", DeliveryConfig.DEFAULT_REQUIRE_HTTPS),
        allowedTargets(node.get("allowed_targets")),
        deliveryTls(optionalObject(node, "delivery", "tls")));
  }

  /** CIDR ranges, addresses and host names, as a YAML list or (from the environment) comma-separated text. */
  private static List<String> allowedTargets(JsonNode node) {
    String path = "delivery.allowed_targets";
    List<String> entries = new ArrayList<>();
    if (node == null || node.isNull()) {
      return entries;
    }
    if (node.isTextual()) {
      Arrays.stream(node.asText().split(",")).map(String::strip).filter(item -> !item.isEmpty())
          .forEach(entries::add);
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        JsonNode item = node.get(i);
        if (!item.isTextual()) {
          throw new ConfigException(path + "[" + i + "]", "expected a CIDR range, an address or a host name");
        }
        entries.add(item.asText().strip());
      }
    } else {
      throw new ConfigException(path, "expected a list of CIDR ranges, addresses and host names");
    }
    try {
      TargetAllowList.of(entries);
    } catch (TargetAllowList.InvalidEntryException e) {
      throw new ConfigException(path + "[" + e.index() + "]", e.getMessage());
    }
    return entries;
  }

  private static DeliveryTlsConfig deliveryTls(JsonNode node) {
    if (node == null) {
      return DeliveryTlsConfig.none();
    }
    String path = "delivery.tls";
    requireFields(node, path, DELIVERY_TLS_FIELDS);
    return new DeliveryTlsConfig(file(node, path, "ca_file"), file(node, path, "client_cert_file"),
        file(node, path, "client_key_file"));
  }

  private static Path file(JsonNode parent, String path, String field) {
    String value = text(parent, path, field, null);
    if (value == null) {
      return null;
    }
    if (value.isBlank()) {
      throw new ConfigException(join(path, field), "must not be blank (leave it out for none)");
    }
    return Path.of(value.strip());
  }

  /** Trigger definitions in the API's shape; their sources and names are cross-checked by the validator. */
  private static List<ParsedTrigger> triggers(JsonNode list) {
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new ConfigException("triggers", "expected a list of trigger definitions");
    }
    List<ParsedTrigger> triggers = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String path = "triggers[" + i + "]";
      try {
        triggers.add(TriggerDefinitionParser.parseRequest(list.get(i), TriggerDefinitionParser.Checks.NONE));
      } catch (TriggerDefinitionException e) {
        String field = e.field() == null ? path : path + "." + e.field();
        String problem = e.field() != null && e.getMessage().startsWith(e.field() + " ")
            ? e.getMessage().substring(e.field().length() + 1) : e.getMessage();
        throw new ConfigException(field, problem);
      }
    }
    return triggers;
  }
  private static AdminConfig admin(JsonNode node) {
    if (node == null) {
      return AdminConfig.defaults();
    }
    requireFields(node, "admin", ADMIN_FIELDS);
    return new AdminConfig(text(node, "admin", "host", AdminConfig.DEFAULT_HOST),
        (int) integer(node, "admin", "port", AdminConfig.DEFAULT_PORT),
        integer(node, "admin", "readiness_grace_ms", AdminConfig.DEFAULT_READINESS_GRACE_MS),
        hostList(node.get("allowed_hosts"), "admin.allowed_hosts"),
        integer(node, "admin", "client_timeout_ms", AdminConfig.DEFAULT_CLIENT_TIMEOUT_MS),
        integer(node, "admin", "request_timeout_ms", AdminConfig.DEFAULT_REQUEST_TIMEOUT_MS),
        intField(node, "admin", "max_triggers", AdminConfig.DEFAULT_MAX_TRIGGERS),
        intField(node, "admin", "max_triggers_per_source", AdminConfig.DEFAULT_MAX_TRIGGERS_PER_SOURCE),
        textListOrCsv(node.get("cors_allowed_origins"), "admin.cors_allowed_origins", "an origin"),
        bool(node, "admin", "auth_enabled", AdminConfig.DEFAULT_AUTH_ENABLED),
        text(node, "admin", "bootstrap_key", null));
  }

  private static int intField(JsonNode node, String path, String field, int fallback) {
    long value = integer(node, path, field, fallback);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new ConfigException(join(path, field), "must be at most " + Integer.MAX_VALUE + ", was " + value);
    }
    return (int) value;
  }

  /** A list of host names, as a YAML list or (from the environment) comma-separated text. */
  private static List<String> hostList(JsonNode node, String path) {
    return textListOrCsv(node, path, "a host name");
  }

  /** A list of texts ({@code what} each), as a YAML list or (from the environment) comma-separated text. */
  private static List<String> textListOrCsv(JsonNode node, String path, String what) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (node.isTextual()) {
      return java.util.Arrays.stream(node.asText().split(",")).map(String::strip).filter(h -> !h.isEmpty())
          .toList();
    }
    if (!node.isArray()) {
      throw new ConfigException(path, "expected a list, each item " + what);
    }
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isTextual()) {
        throw new ConfigException(path + "[" + i + "]", "expected " + what);
      }
      hosts.add(item.asText().strip());
    }
    return hosts;
  }

  private static SourceConfig source(JsonNode node, String path, Map<String, String> env) {
    if (node == null || !node.isObject()) {
      throw new ConfigException(path, "expected a mapping with name, type and key_columns");
    }
    requireFields(node, path, SOURCE_FIELDS);
    String name = text(node, path, "name", null);
    if (name == null) {
      throw new ConfigException(path + ".name", "is required");
    }
    String typeName = text(node, path, "type", null);
    if (typeName == null) {
      throw new ConfigException(path + ".type", "is required (materialize or loadgen)");
    }
    SourceType type = SourceType.fromConfigName(typeName).orElseThrow(() -> new ConfigException(path + ".type",
        "unknown source type '" + typeName + "' (expected materialize or loadgen)"));
    JsonNode loadgenNode = optionalObject(node, path, "loadgen");
    JsonNode materializeNode = optionalObject(node, path, "materialize");
    LoadgenConfig loadgen = loadgenNode == null && type == SourceType.LOADGEN ? LoadgenConfig.defaults()
        : loadgenNode == null ? null : loadgen(loadgenNode, path + ".loadgen");
    MaterializeConfig materialize = materializeNode == null ? null
        : materialize(materializeNode, path + ".materialize", env);
    return new SourceConfig(name, type, text(node, path, "view", null), textList(node, path, "key_columns"),
        loadgen, materialize);
  }

  private static LoadgenConfig loadgen(JsonNode node, String path) {
    requireFields(node, path, LOADGEN_FIELDS);
    return new LoadgenConfig(
        (int) integer(node, path, "entities", LoadgenConfig.DEFAULT_ENTITIES),
        integer(node, path, "interval_ms", LoadgenConfig.DEFAULT_INTERVAL_MS),
        (int) integer(node, path, "changes_per_tick", LoadgenConfig.DEFAULT_CHANGES_PER_TICK),
        integer(node, path, "seed", LoadgenConfig.DEFAULT_SEED));
  }

  private static MaterializeConfig materialize(JsonNode node, String path, Map<String, String> env) {
    PasswordEnvironment.rejectPasswordInFile(node, path);
    requireFields(node, path, MATERIALIZE_FIELDS);
    String passwordEnv = text(node, path, "password_env", null);
    String password = PasswordEnvironment.resolve(passwordEnv, env, path + ".password_env");
    return new MaterializeConfig(
        text(node, path, "host", null),
        (int) integer(node, path, "port", MaterializeConfig.DEFAULT_PORT),
        text(node, path, "database", MaterializeConfig.DEFAULT_DATABASE),
        text(node, path, "user", MaterializeConfig.DEFAULT_USER),
        passwordEnv,
        password,
        text(node, path, "ssl_mode", MaterializeConfig.DEFAULT_SSL_MODE),
        text(node, path, "cluster", null));
  }

  private static void requireFields(JsonNode node, String path, Set<String> known) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new ConfigException(join(path, name), "unknown field (expected one of "
            + known.stream().sorted().toList() + ")");
      }
    }
  }

  private static JsonNode optionalObject(JsonNode parent, String path, String field) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new ConfigException(join(path, field), "expected a mapping");
    }
    return node;
  }

  private static String text(JsonNode parent, String path, String field, String defaultValue) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return defaultValue;
    }
    if (!node.isValueNode()) {
      throw new ConfigException(join(path, field), "expected a text value");
    }
    return node.asText();
  }

  private static boolean bool(JsonNode parent, String path, String field, boolean defaultValue) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return defaultValue;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    // environment overrides arrive as text
    String text = node.isTextual() ? node.asText().strip().toLowerCase(Locale.ROOT) : "";
    if (text.equals("true") || text.equals("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new ConfigException(join(path, field), "expected true or false, got '" + node.asText() + "'");
  }

  private static long integer(JsonNode parent, String path, String field, long defaultValue) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return defaultValue;
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.asLong();
    }
    if (node.isTextual()) {
      try {
        return Long.parseLong(node.asText().strip());
      } catch (NumberFormatException e) {
        // reported below with the offending value
      }
    }
    throw new ConfigException(join(path, field), "expected an integer, got '" + node.asText() + "'");
  }

  private static List<String> textList(JsonNode parent, String path, String field) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (node.isTextual()) {
      return List.of(node.asText());
    }
    if (!node.isArray()) {
      throw new ConfigException(join(path, field), "expected a list of column names");
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isValueNode() || item.isNull()) {
        throw new ConfigException(join(path, field) + "[" + i + "]", "expected a column name");
      }
      values.add(item.asText());
    }
    return values;
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
