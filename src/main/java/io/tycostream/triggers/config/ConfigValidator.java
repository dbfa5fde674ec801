package io.tycostream.triggers.config;

import io.tycostream.triggers.definition.TriggerDefinition;

import java.util.HashSet;
import java.util.List;
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
    Set<String> triggerNames = new HashSet<>();
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
    }
  }

  private static void validateDelivery(DeliveryConfig delivery) {
    requirePositive(delivery.connectTimeoutMs(), "delivery.connect_timeout_ms");
    requirePositive(delivery.requestTimeoutMs(), "delivery.request_timeout_ms");
    requirePositive(delivery.maxInFlight(), "delivery.max_in_flight");
    requirePositive(delivery.maxInFlightPerEndpoint(), "delivery.max_in_flight_per_endpoint");
    requirePositive(delivery.historyRetentionHours(), "delivery.history_retention_hours");
  }

  private static void validateAdmin(AdminConfig admin) {
    requireText(admin.host(), "admin.host");
    requirePort(admin.port(), "admin.port", 0);
    requirePositive(admin.readinessGraceMs(), "admin.readiness_grace_ms");
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
    if (!MaterializeConfig.SSL_MODES.contains(mz.sslMode())) {
      throw new ConfigException(at + ".ssl_mode", "unknown ssl mode '" + mz.sslMode() + "' (expected one of "
          + String.join(", ", MaterializeConfig.SSL_MODES) + ")");
    }
    if (mz.cluster() != null && mz.cluster().isBlank()) {
      throw new ConfigException(at + ".cluster", "must not be blank (leave it out for the default cluster)");
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
