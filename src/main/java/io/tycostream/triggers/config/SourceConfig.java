package io.tycostream.triggers.config;

import java.util.List;
import java.util.Objects;

/**
 * One configured source.
 *
 * @param name        unique name ({@code [a-z0-9_]+}), used in bus addresses, logs and triggers
 * @param type        what produces its changes
 * @param view        the Materialize object to subscribe to ({@code materialize} only, else {@code null})
 * @param keyColumns  the columns that identify a row, in key order
 * @param loadgen     the load generator settings ({@code loadgen} only, else {@code null})
 * @param materialize the connection settings ({@code materialize} only, else {@code null})
 */
public record SourceConfig(String name, SourceType type, String view, List<String> keyColumns,
                           LoadgenConfig loadgen, MaterializeConfig materialize) {

  public SourceConfig {
    Objects.requireNonNull(name, "name");
    keyColumns = keyColumns == null ? List.of() : List.copyOf(keyColumns);
  }
}
