package io.tycostream.triggers.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

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

  /** One entry of {@code sources} as written; a {@code loadgen} source without settings gets their defaults. */
  @JsonCreator
  static SourceConfig fromFile(@JsonProperty("name") String name, @JsonProperty("type") String type,
                               @JsonProperty("view") String view,
                               @JsonProperty("key_columns") @JsonDeserialize(using = TextListDeserializer.class)
                               List<String> keyColumns,
                               @JsonProperty("loadgen") LoadgenConfig loadgen,
                               @JsonProperty("materialize") MaterializeConfig materialize) {
    if (name == null) {
      throw new InvalidFieldException("name", "is required");
    }
    if (type == null) {
      throw new InvalidFieldException("type", "is required (materialize or loadgen)");
    }
    SourceType sourceType = SourceType.fromConfigName(type).orElseThrow(() -> new InvalidFieldException("type",
        "unknown source type '" + type + "' (expected materialize or loadgen)"));
    LoadgenConfig settings = loadgen == null && sourceType == SourceType.LOADGEN ? LoadgenConfig.defaults() : loadgen;
    return new SourceConfig(name, sourceType, view, keyColumns, settings, materialize);
  }
}
