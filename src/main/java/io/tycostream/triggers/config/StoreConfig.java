package io.tycostream.triggers.config;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;
import java.util.Objects;

/**
 * Which store the service keeps its state in ({@code store}).
 *
 * @param type     the store; {@link StoreType#SQLITE} keeps its files in {@link TriggersConfig#dataDir()}
 * @param postgres the PostgreSQL connection; never {@code null}: {@link PostgresStoreConfig#defaults()} when the
 *                 section is absent, and bound and validated even when {@code type} is {@code sqlite} (so a typo is
 *                 caught before the switch), but only used when {@code type} is {@code postgres}
 */
public record StoreConfig(StoreType type, PostgresStoreConfig postgres) {

  /** Embedded, in the data directory: a dev run needs no database server. */
  public static final StoreType DEFAULT_TYPE = StoreType.SQLITE;

  public StoreConfig {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(postgres, "postgres");
  }

  /**
   * The {@code store} section as written: each field left out takes its default, here and nowhere else. With
   * {@code type: postgres} a password variable that is named but not set stops the start, like a Materialize
   * source's, rather than the first connection attempt.
   */
  @JsonCreator
  static StoreConfig fromFile(@JsonProperty("type") String type, @JsonProperty("postgres") PostgresStoreConfig postgres,
                              @JacksonInject(ConfigBinder.ENV) Map<String, String> env) {
    StoreType storeType = type == null ? DEFAULT_TYPE : StoreType.fromConfigName(type).orElseThrow(() ->
        new InvalidFieldException("type", "unknown store type '" + type + "' (expected one of "
            + String.join(", ", StoreType.configNames()) + ")"));
    PostgresStoreConfig connection = postgres == null ? PostgresStoreConfig.defaults() : postgres;
    if (storeType == StoreType.POSTGRES) {
      connection.password(env);
    }
    return new StoreConfig(storeType, connection);
  }

  /** What a file without a {@code store} section gives: SQLite in the data directory. */
  public static StoreConfig defaults() {
    return fromFile(null, null, Map.of());
  }
}
