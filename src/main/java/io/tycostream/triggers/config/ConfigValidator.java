package io.tycostream.triggers.config;

import io.tycostream.triggers.definition.TriggerAlertName;
import io.tycostream.triggers.definition.TriggerDefinition;
import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.definition.WebhookTarget;
import io.tycostream.triggers.definition.WebhookTargetPolicy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The semantic checks run once on a bound configuration; the first problem found is thrown. */
final class ConfigValidator {

  private static final Pattern SOURCE_NAME = Pattern.compile("[a-z0-9_]+");
  /** The loadgen source produces positions keyed by account; any other key would not be unique. */
  static final List<String> LOADGEN_KEY = List.of("account");

  private ConfigValidator() {
  }

  static void validate(TriggersConfig config) {
    validateAdmin(config.admin());
    Set<String> names = new HashSet<>();
    for (int i = 0; i < config.sources().size(); i++) {
      SourceConfig source = config.sources().get(i);
      String path = "sources[" + i + "]";
      validateSource(source, path);
      if (!names.add(source.name())) {
        throw new ConfigException(path + ".name", "duplicate source name '" + source.name() + "'");
      }
    }
    validateDelivery(config.delivery());
    validatePostgres(config.store().postgres());
    validateCluster(config.cluster());
    if (config.cluster().enabled() && config.store().type() != StoreType.POSTGRES) {
      throw new ConfigException("store.type", "cluster.enabled requires store.type: postgres (SQLite is single-node:"
          + " one process per data directory)");
    }
    Set<String> triggerNames = new HashSet<>();
    WebhookTargetPolicy targets = config.delivery().targetPolicy();
    for (int i = 0; i < config.triggers().size(); i++) {
      TriggerDefinition trigger = config.triggers().get(i).definition();
      String path = "triggers[" + i + "]";
      if (!names.contains(trigger.source())) {
        throw new ConfigException(path + ".source", "no source named '" + trigger.source() + "' is configured"
            + " (sources: " + config.sourceNames() + ")");
      }
      if (!triggerNames.add(trigger.name())) {
        throw new ConfigException(path + ".name", "duplicate trigger name '" + trigger.name() + "'");
      }
      // the API's target check, at start-up rather than when the source is ready
      Optional<String> refusal = targets.refusal(trigger.webhookUrl());
      if (refusal.isPresent()) {
        throw new ConfigException(path + ".webhook.url", refusal.get());
      }
      Optional<String> alertRefusal = trigger.alertTarget() == null ? Optional.empty()
          : targets.refusal(trigger.alertTarget().uri());
      if (alertRefusal.isPresent()) {
        throw new ConfigException(path + ".alert_url", alertRefusal.get());
      }
      String certificate = trigger.webhook().clientCertificate();
      List<String> certificates = config.delivery().tls().clientCertificateNames();
      if (certificate != null && !certificates.contains(certificate)) {
        throw new ConfigException(path + ".webhook.client_certificate", "no client certificate named '"
            + certificate + "' is configured (delivery.tls.client_certificates: " + certificates + ")");
      }
    }
    validateAlerts(config.alerts(), targets);
    validateMetrics(config.metrics());
  }

  private static void validateMetrics(MetricsConfig metrics) {
    if (metrics.storeSampleMs() < MetricsConfig.MIN_STORE_SAMPLE_MS) {
      throw new ConfigException("metrics.store_sample_ms", "must be at least " + MetricsConfig.MIN_STORE_SAMPLE_MS
          + ", got " + metrics.storeSampleMs());
    }
  }

  /** Alert endpoints: unique names, URLs that the trigger webhook rules allow, secrets in whsec_ form. */
  private static void validateAlerts(List<AlertConfig> alerts, WebhookTargetPolicy targets) {
    Set<String> alertNames = new HashSet<>();
    for (int i = 0; i < alerts.size(); i++) {
      AlertConfig alert = alerts.get(i);
      String path = "alerts[" + i + "]";
      if (alert.name().isBlank()) {
        throw new ConfigException(path + ".name", "is required");
      }
      if (alert.name().startsWith(TriggerAlertName.PREFIX)) {
        throw new ConfigException(path + ".name", "must not start with '" + TriggerAlertName.PREFIX
            + "' (reserved for the alert_url of triggers)");
      }
      if (!alertNames.add(alert.name())) {
        throw new ConfigException(path + ".name", "duplicate alert name '" + alert.name() + "'");
      }
      WebhookTarget target;
      try {
        target = WebhookTarget.parse(alert.url());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(path + ".url", e.getMessage());
      }
      Optional<String> refusal = targets.refusal(target.uri());
      if (refusal.isPresent()) {
        throw new ConfigException(path + ".url", refusal.get());
      }
      try {
        WebhookSecret.parse(alert.secret());
      } catch (IllegalArgumentException e) {
        // the message never holds the secret itself
        throw new ConfigException(path + ".secret", e.getMessage());
      }
      requirePositive(alert.graceMs(), path + ".grace_ms");
    }
  }

  private static void validateDelivery(DeliveryConfig delivery) {
    requirePositive(delivery.connectTimeoutMs(), "delivery.connect_timeout_ms");
    requirePositive(delivery.requestTimeoutMs(), "delivery.request_timeout_ms");
    requirePositive(delivery.maxInFlight(), "delivery.max_in_flight");
    requirePositive(delivery.maxInFlightPerEndpoint(), "delivery.max_in_flight_per_endpoint");
    requirePositive(delivery.historyRetentionHours(), "delivery.history_retention_hours");
    DeliveryTlsConfig tls = delivery.tls();
    if ((tls.clientCertFile() == null) != (tls.clientKeyFile() == null)) {
      String missing = tls.clientCertFile() == null ? "client_cert_file" : "client_key_file";
      throw new ConfigException("delivery.tls." + missing, "is required with delivery.tls."
          + (tls.clientCertFile() == null ? "client_key_file" : "client_cert_file") + " (a client certificate needs"
          + " its key)");
    }
    validateClientCertificates(tls.clientCertificates());
  }

  /** Named client certificates: a name of {@link ClientCertificateConfig#NAME_PATTERN}, unique, both files given. */
  private static void validateClientCertificates(List<ClientCertificateConfig> certificates) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < certificates.size(); i++) {
      ClientCertificateConfig certificate = certificates.get(i);
      String path = "delivery.tls.client_certificates[" + i + "]";
      if (certificate.name() == null || !ClientCertificateConfig.NAME_PATTERN.matcher(certificate.name()).matches()) {
        throw new ConfigException(path + ".name", "must be 1 to 64 of a-z, 0-9, '_' and '-'"
            + (certificate.name() == null ? " (it is missing)" : ", got '" + certificate.name() + "'"));
      }
      if (!names.add(certificate.name())) {
        throw new ConfigException(path + ".name", "duplicate client certificate name '" + certificate.name() + "'");
      }
      if (certificate.certFile() == null) {
        throw new ConfigException(path + ".cert_file", "is required (the certificate, PEM)");
      }
      if (certificate.keyFile() == null) {
        throw new ConfigException(path + ".key_file", "is required (the certificate's unencrypted PKCS#8 key, PEM)");
      }
    }
  }

  private static void validateAdmin(AdminConfig admin) {
    requireText(admin.host(), "admin.host");
    requirePort(admin.port(), "admin.port", 0);
    requirePositive(admin.readinessGraceMs(), "admin.readiness_grace_ms");
    requirePositive(admin.clientTimeoutMs(), "admin.client_timeout_ms");
    if (admin.bootstrapKey() != null && admin.bootstrapKey().strip().length() < AdminConfig.MIN_BOOTSTRAP_KEY_LENGTH) {
      throw new ConfigException("admin.bootstrap_key", "must be at least " + AdminConfig.MIN_BOOTSTRAP_KEY_LENGTH
          + " characters (it is an admin password; generate one, e.g. openssl rand -base64 32)");
    }
    if (!admin.authEnabled() && !isLoopback(admin.host())) {
      throw new ConfigException("admin.auth_enabled", "may be false only when admin.host is a loopback address "
          + "(127.0.0.1, ::1, localhost), not '" + admin.host() + "': anyone who reaches the port would control "
          + "the service");
    }
    requirePositive(admin.requestTimeoutMs(), "admin.request_timeout_ms");
    requirePositive(admin.maxTriggers(), "admin.max_triggers");
    requirePositive(admin.maxTriggersPerSource(), "admin.max_triggers_per_source");
    for (int i = 0; i < admin.corsAllowedOrigins().size(); i++) {
      requireOrigin(admin.corsAllowedOrigins().get(i), "admin.cors_allowed_origins[" + i + "]");
    }
    for (int i = 0; i < admin.allowedHosts().size(); i++) {
      String allowed = admin.allowedHosts().get(i);
      if (allowed.isBlank() || allowed.contains("/") || allowed.contains(" ")
          || (allowed.contains(":") && !allowed.contains("::") && allowed.indexOf(':') == allowed.lastIndexOf(':'))) {
        throw new ConfigException("admin.allowed_hosts[" + i + "]", "'" + allowed + "' is not a host name (no "
            + "scheme, port or path; \"*\" allows any)");
      }
    }
  }

  private static boolean isLoopback(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (bare.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!bare.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
      return false;
    }
    try {
      return java.net.InetAddress.getByName(bare).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** An exact browser origin: http or https, a host, an optional port, nothing else ({@code *} is refused). */
  private static void requireOrigin(String origin, String path) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      uri = null;
    }
    boolean exact = uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        && uri.getHost() != null && uri.getRawUserInfo() == null && uri.getRawPath().isEmpty()
        && uri.getRawQuery() == null && uri.getRawFragment() == null;
    if (!exact) {
      throw new ConfigException(path, "'" + origin + "' is not an exact origin such as https://console.example.com "
          + "(scheme, host and optional port; no path, no wildcard)");
    }
  }

  private static void validateSource(SourceConfig source, String path) {
    if (!SOURCE_NAME.matcher(source.name()).matches()) {
      throw new ConfigException(path + ".name", "'" + source.name() + "' must match [a-z0-9_]+");
    }
    if (source.keyColumns().isEmpty()) {
      throw new ConfigException(path + ".key_columns", "must not be empty");
    }
    Set<String> keys = new HashSet<>();
    for (int k = 0; k < source.keyColumns().size(); k++) {
      String column = source.keyColumns().get(k);
      requireText(column, path + ".key_columns[" + k + "]");
      if (!keys.add(column)) {
        throw new ConfigException(path + ".key_columns[" + k + "]", "duplicate key column '" + column + "'");
      }
    }
    switch (source.type()) {
      case MATERIALIZE -> validateMaterialize(source, path);
      case LOADGEN -> validateLoadgen(source, path);
      default -> throw new IllegalStateException("unhandled source type " + source.type());
    }
  }

  private static void validateMaterialize(SourceConfig source, String path) {
    if (source.loadgen() != null) {
      throw new ConfigException(path + ".loadgen", "only allowed for type loadgen");
    }
    requireText(source.view(), path + ".view");
    MaterializeConfig mz = source.materialize();
    if (mz == null) {
      throw new ConfigException(path + ".materialize", "is required for type materialize");
    }
    String at = path + ".materialize";
    requireText(mz.host(), at + ".host");
    requirePort(mz.port(), at + ".port", 1);
    requireText(mz.database(), at + ".database");
    requireText(mz.user(), at + ".user");
    requireSslMode(mz.sslMode(), at + ".ssl_mode");
    if (mz.cluster() != null && mz.cluster().isBlank()) {
      throw new ConfigException(at + ".cluster", "must not be blank (leave it out for the default cluster)");
    }
  }

  /** Checked even when the store is SQLite, so a typo shows before the switch to PostgreSQL rather than at it. */
  private static void validatePostgres(PostgresStoreConfig postgres) {
    String at = "store.postgres";
    requireText(postgres.host(), at + ".host");
    requirePort(postgres.port(), at + ".port", 1);
    requireText(postgres.database(), at + ".database");
    requireText(postgres.user(), at + ".user");
    if (postgres.passwordEnv() != null && postgres.passwordEnv().isBlank()) {
      throw new ConfigException(at + ".password_env", "must not be blank (leave it out for no password)");
    }
    requireSslMode(postgres.sslMode(), at + ".ssl_mode");
    requirePositive(postgres.poolSize(), at + ".pool_size");
  }

  /** Checked even when disabled, for the same reason as the PostgreSQL section. */
  private static void validateCluster(ClusterConfig cluster) {
    requireText(cluster.name(), "cluster.name");
    requireText(cluster.host(), "cluster.host");
    requirePort(cluster.port(), "cluster.port", 1);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < cluster.members().size(); i++) {
      String path = "cluster.members[" + i + "]";
      String member = cluster.members().get(i);
      if (!seen.add(memberIdentity(member, path))) {
        throw new ConfigException(path, "duplicate member '" + member + "'");
      }
    }
  }

  /**
   * Checks one {@code host:port} ({@code [v6-literal]:port} for IPv6) and returns it with the host lower-cased, so
   * duplicates differing only in case are caught.
   */
  private static String memberIdentity(String member, String path) {
    String expected = " (expected host:port, e.g. 10.0.0.5:5701 or [::1]:5701)";
    int colon = member.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigException(path, "'" + member + "' has no port" + expected);
    }
    String host = member.substring(0, colon);
    String portText = member.substring(colon + 1);
    if (host.startsWith("[")) {
      if (!host.endsWith("]") || host.length() == 2) {
        throw new ConfigException(path, "'" + member + "' is not a valid bracketed IPv6 address" + expected);
      }
    } else if (host.contains(":")) {
      throw new ConfigException(path, "'" + member + "' looks like an IPv6 address: put it in brackets" + expected);
    }
    if (host.isBlank()) {
      throw new ConfigException(path, "'" + member + "' has no host" + expected);
    }
    int port;
    try {
      port = portText.chars().allMatch(Character::isDigit) ? Integer.parseInt(portText) : -1;
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new ConfigException(path, "'" + member + "' has port '" + portText + "', expected 1..65535");
    }
    return host.toLowerCase(Locale.ROOT) + ":" + port;
  }

  private static void requireSslMode(String sslMode, String path) {
    if (!MaterializeConfig.SSL_MODES.contains(sslMode)) {
      throw new ConfigException(path, "unknown ssl mode '" + sslMode + "' (expected one of "
          + String.join(", ", MaterializeConfig.SSL_MODES) + ")");
    }
  }

  private static void validateLoadgen(SourceConfig source, String path) {
    if (source.materialize() != null) {
      throw new ConfigException(path + ".materialize", "only allowed for type materialize");
    }
    if (source.view() != null) {
      throw new ConfigException(path + ".view", "only allowed for type materialize");
    }
    if (!source.keyColumns().equals(LOADGEN_KEY)) {
      throw new ConfigException(path + ".key_columns", "a loadgen source is keyed by " + LOADGEN_KEY);
    }
    LoadgenConfig loadgen = source.loadgen();
    String at = path + ".loadgen";
    requirePositive(loadgen.entities(), at + ".entities");
    requirePositive(loadgen.intervalMs(), at + ".interval_ms");
    requirePositive(loadgen.changesPerTick(), at + ".changes_per_tick");
  }

  private static void requireText(String value, String path) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(path, "is required");
    }
  }

  private static void requirePort(int port, String path, int lowest) {
    if (port < lowest || port > 65535) {
      throw new ConfigException(path, "port " + port + " is out of range (" + lowest + "..65535)");
    }
  }

  private static void requirePositive(long value, String path) {
    if (value <= 0) {
      throw new ConfigException(path, "must be positive, got " + value);
    }
  }
}
