package io.tycostream.triggers.config;

import io.tycostream.triggers.definition.TriggerDefinitionParser.ParsedTrigger;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

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

  /** The source names, in file order. */
  public List<String> sourceNames() {
    return sources.stream().map(SourceConfig::name).toList();
  }
}
