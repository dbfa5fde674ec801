package io.tycostream.triggers.config;

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

  public static StoreConfig defaults() {
    return new StoreConfig(DEFAULT_TYPE, PostgresStoreConfig.defaults());
  }
}
