package io.tycostream.triggers.emulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Session variables of one connection with Materialize's defaults, the notify set reported through ParameterStatus,
 * and the parsed idle-in-transaction timeout. Not thread-safe; owned by one session.
 */
final class SessionVariables {

  /** Materialize's default idle_in_transaction_session_timeout: 2 minutes. */
  static final long DEFAULT_IDLE_IN_TRANSACTION_MS = 120_000;

  /** Variables reported at startup and whenever they change, in Materialize's order (spec §6.1). */
  static final List<String> NOTIFY_SET = List.of("application_name", "client_encoding", "DateStyle",
      "integer_datetimes", "server_version", "standard_conforming_strings", "TimeZone", "IntervalStyle", "cluster",
      "cluster_replica", "database", "search_path", "mz_version");

  private static final List<String> READ_ONLY = List.of("server_version", "server_version_num", "mz_version",
      "integer_datetimes", "standard_conforming_strings");

  private final Map<String, String> defaults = new LinkedHashMap<>();
  private final Map<String, String> displayNames = new LinkedHashMap<>();
  private final Map<String, String> values = new LinkedHashMap<>();
  private long idleInTransactionMs = DEFAULT_IDLE_IN_TRANSACTION_MS;

  SessionVariables(EmulatorOptions options) {
    define("application_name", "");
    define("client_encoding", "UTF8");
    define("DateStyle", "ISO, MDY");
    define("integer_datetimes", "on");
    define("server_version", "9.5.0");
    define("server_version_num", "90500");
    define("standard_conforming_strings", "on");
    define("TimeZone", "UTC");
    define("IntervalStyle", "postgres");
    define("cluster", options.getCluster());
    define("cluster_replica", "");
    define("database", "materialize");
    define("search_path", "public");
    define("mz_version", options.getMzVersion());
    define("idle_in_transaction_session_timeout", "2 min");
    define("statement_timeout", "10 s");
    define("extra_float_digits", "3");
    define("client_min_messages", "notice");
    define("transaction_isolation", "strict serializable");
    define("welcome_message", "on");
    define("emit_timestamp_notice", "off");
    define("emit_trace_id_notice", "off");
    define("real_time_recency", "off");
    define("max_query_result_size", "1GB");
    define("user", "materialize");
  }

  private void define(String name, String value) {
    String key = name.toLowerCase(Locale.ROOT);
    defaults.put(key, value);
    displayNames.put(key, name);
    values.put(key, value);
  }

  boolean known(String name) {
    return defaults.containsKey(name.toLowerCase(Locale.ROOT));
  }

  /**
   * Sets a variable (null = its default).
   *
   * @return the notify-set name whose value changed, or null
   * @throws PgException 42704 for an unknown variable, 22023 for an invalid value
   */
  String set(String name, String value) {
    String key = name.toLowerCase(Locale.ROOT);
    if (!defaults.containsKey(key)) {
      throw new PgException("42704", "unrecognized configuration parameter \"" + name + "\"");
    }
    if (READ_ONLY.contains(displayNames.get(key)) && value != null) {
      throw new PgException("55000", "parameter \"" + name + "\" cannot be changed");
    }
    String newValue = value == null ? defaults.get(key) : value;
    if (key.equals("idle_in_transaction_session_timeout")) {
      idleInTransactionMs = IntervalParser.toMillis(newValue, 1);
      if (idleInTransactionMs < 0) {
        throw new PgException("22023", "invalid value for parameter \"" + name + "\": \"" + value + "\"");
      }
    }
    String old = values.put(key, newValue);
    String display = displayNames.get(key);
    return NOTIFY_SET.contains(display) && !newValue.equals(old) ? display : null;
  }

  String get(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    if (!values.containsKey(key)) {
      throw new PgException("42704", "unrecognized configuration parameter \"" + name + "\"");
    }
    return values.get(key);
  }

  List<String> names() {
    return List.copyOf(displayNames.keySet());
  }

  /** 0 means off. */
  long idleInTransactionMs() {
    return idleInTransactionMs;
  }
}
