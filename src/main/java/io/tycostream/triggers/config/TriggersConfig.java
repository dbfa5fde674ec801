package io.tycostream.triggers.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.tycostream.triggers.definition.TriggerDefinitionException;
import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.definition.TriggerDefinitionParser.ParsedTrigger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static java.util.Objects.requireNonNullElse;

/**
 * The whole service configuration, loaded and validated once at startup by {@link ConfigLoader} and passed down.
 * Immutable.
 *
 * @param admin        the admin HTTP server
 * @param sources      the declared sources, in file order
 * @param dataDir      the directory of the embedded SQLite store's files (unused when {@code store.type} is
 *                     {@code postgres})
 * @param delivery     how webhooks are sent
 * @param triggers     triggers created at startup when no trigger of that name exists yet (the demo), in file order;
 *                     their conditions are checked against the source's schema only when they are created
 * @param demoReceiver whether the admin server also serves {@code POST /demo/webhook}, a receiver that verifies
 *                     signatures and logs each event
 * @param store        which store keeps the service's state: SQLite in {@code dataDir}, or PostgreSQL
 * @param cluster      whether and how this node joins others (requires the PostgreSQL store)
 * @param secrets      the master key that encrypts webhook secrets at rest
 * @param alerts       the endpoints that receive operational alerts (outages, gaps, dead letters), in file order
 * @param logging      the log format and level, applied by {@code app/Main} before anything else starts
 * @param metrics      the Prometheus endpoint {@code /metrics}
 */
public record TriggersConfig(AdminConfig admin, List<SourceConfig> sources, Path dataDir, DeliveryConfig delivery,
                             List<ParsedTrigger> triggers, boolean demoReceiver, StoreConfig store,
                             ClusterConfig cluster, SecretsConfig secrets, List<AlertConfig> alerts,
                             LoggingConfig logging, MetricsConfig metrics) {

  /** Relative to the working directory: a dev run keeps its state next to where it was started. */
  public static final Path DEFAULT_DATA_DIR = Path.of("data");
  public static final boolean DEFAULT_DEMO_RECEIVER = false;

  public TriggersConfig {
    Objects.requireNonNull(admin, "admin");
    sources = List.copyOf(sources);
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(delivery, "delivery");
    triggers = List.copyOf(triggers);
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(secrets, "secrets");
    alerts = List.copyOf(alerts);
    Objects.requireNonNull(logging, "logging");
    Objects.requireNonNull(metrics, "metrics");
  }

  /** Every setting given except the metrics: their defaults. */
  public TriggersConfig(AdminConfig admin, List<SourceConfig> sources, Path dataDir, DeliveryConfig delivery,
                        List<ParsedTrigger> triggers, boolean demoReceiver, StoreConfig store, ClusterConfig cluster,
                        SecretsConfig secrets, List<AlertConfig> alerts, LoggingConfig logging) {
    this(admin, sources, dataDir, delivery, triggers, demoReceiver, store, cluster, secrets, alerts, logging,
        MetricsConfig.defaults());
  }

  /** Every setting given except the logging: text lines at INFO. */
  public TriggersConfig(AdminConfig admin, List<SourceConfig> sources, Path dataDir, DeliveryConfig delivery,
                        List<ParsedTrigger> triggers, boolean demoReceiver, StoreConfig store, ClusterConfig cluster,
                        SecretsConfig secrets, List<AlertConfig> alerts) {
    this(admin, sources, dataDir, delivery, triggers, demoReceiver, store, cluster, secrets, alerts,
        LoggingConfig.defaults());
  }

  /** Every setting given except the alerts: none. */
  public TriggersConfig(AdminConfig admin, List<SourceConfig> sources, Path dataDir, DeliveryConfig delivery,
                        List<ParsedTrigger> triggers, boolean demoReceiver, StoreConfig store, ClusterConfig cluster,
                        SecretsConfig secrets) {
    this(admin, sources, dataDir, delivery, triggers, demoReceiver, store, cluster, secrets, List.of());
  }

  /** This configuration with other alert endpoints. */
  public TriggersConfig withAlerts(List<AlertConfig> alerts) {
    return new TriggersConfig(admin, sources, dataDir, delivery, triggers, demoReceiver, store, cluster, secrets,
        alerts, logging, metrics);
  }

  /** This configuration with other logging settings. */
  public TriggersConfig withLogging(LoggingConfig logging) {
    return new TriggersConfig(admin, sources, dataDir, delivery, triggers, demoReceiver, store, cluster, secrets,
        alerts, logging, metrics);
  }

  /** This configuration with other metrics settings. */
  public TriggersConfig withMetrics(MetricsConfig metrics) {
    return new TriggersConfig(admin, sources, dataDir, delivery, triggers, demoReceiver, store, cluster, secrets,
        alerts, logging, metrics);
  }

  /** Every setting given except the secrets: the master key file in {@code dataDir}. */
  public TriggersConfig(AdminConfig admin, List<SourceConfig> sources, Path dataDir, DeliveryConfig delivery,
                        List<ParsedTrigger> triggers, boolean demoReceiver, StoreConfig store, ClusterConfig cluster) {
    this(admin, sources, dataDir, delivery, triggers, demoReceiver, store, cluster, SecretsConfig.defaults(dataDir));
  }

  /**
   * Admin and sources as given, every other setting at its default (no startup triggers, no demo receiver, SQLite
   * in {@link #DEFAULT_DATA_DIR} with its master key file, no cluster).
   */
  public TriggersConfig(AdminConfig admin, List<SourceConfig> sources) {
    this(admin, sources, DEFAULT_DATA_DIR, DeliveryConfig.defaults(), List.of(), DEFAULT_DEMO_RECEIVER,
        StoreConfig.defaults(), ClusterConfig.defaults());
  }

  /**
   * The whole file as written: each field left out takes its default, here and nowhere else (the sections' own in
   * their {@code fromFile}); the secrets' key file and the alerts' grace period default from fields of this level.
   */
  @JsonCreator
  static TriggersConfig fromFile(@JsonProperty("admin") AdminConfig admin,
                                 @JsonProperty("sources") List<SourceConfig> sources,
                                 @JsonProperty("data_dir") String dataDir,
                                 @JsonProperty("delivery") DeliveryConfig delivery,
                                 @JsonProperty("triggers") JsonNode triggers,
                                 @JsonProperty("demo_receiver") Boolean demoReceiver,
                                 @JsonProperty("store") StoreConfig store,
                                 @JsonProperty("cluster") ClusterConfig cluster,
                                 @JsonProperty("secrets") SecretsConfig.Section secrets,
                                 @JsonProperty("alerts") List<AlertConfig.Section> alerts,
                                 @JsonProperty("alerts_grace_ms") Long alertsGraceMs,
                                 @JsonProperty("logging") LoggingConfig logging,
                                 @JsonProperty("metrics") MetricsConfig metrics) {
    if (dataDir != null && dataDir.isBlank()) {
      throw new InvalidFieldException("data_dir", "must not be blank");
    }
    Path dir = dataDir == null ? DEFAULT_DATA_DIR : Path.of(dataDir);
    List<SourceConfig> sourceList = requireEntries(requireNonNullElse(sources, List.of()), "sources",
        "expected a mapping with name, type and key_columns");
    long graceMs = requireNonNullElse(alertsGraceMs, AlertConfig.DEFAULT_GRACE_MS);
    List<AlertConfig> alertList = requireEntries(requireNonNullElse(alerts, List.<AlertConfig.Section>of()), "alerts",
        "expected a mapping with name, url and secret").stream().map(alert -> alert.withGraceDefault(graceMs)).toList();
    return new TriggersConfig(requireNonNullElse(admin, AdminConfig.defaults()), sourceList, dir,
        requireNonNullElse(delivery, DeliveryConfig.defaults()), triggers(triggers),
        requireNonNullElse(demoReceiver, DEFAULT_DEMO_RECEIVER), requireNonNullElse(store, StoreConfig.defaults()),
        requireNonNullElse(cluster, ClusterConfig.defaults()),
        requireNonNullElse(secrets, SecretsConfig.Section.ABSENT).in(dir), alertList,
        requireNonNullElse(logging, LoggingConfig.defaults()), requireNonNullElse(metrics, MetricsConfig.defaults()));
  }

  private static <T> List<T> requireEntries(List<T> entries, String field, String problem) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i) == null) {
        throw new InvalidFieldException(field + "[" + i + "]", problem);
      }
    }
    return entries;
  }

  /** Trigger definitions in the API's shape, parsed as the API parses them; cross-checked by the validator. */
  private static List<ParsedTrigger> triggers(JsonNode list) {
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new InvalidFieldException("triggers", "expected a list of trigger definitions");
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
        throw new InvalidFieldException(field, problem);
      }
    }
    return triggers;
  }

  /** The source names, in file order. */
  public List<String> sourceNames() {
    return sources.stream().map(SourceConfig::name).toList();
  }
}
