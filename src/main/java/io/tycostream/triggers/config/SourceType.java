package io.tycostream.triggers.config;

import java.util.Locale;
import java.util.Optional;

/** The kinds of source a configuration can declare. */
public enum SourceType {
  /** A Materialize view read with SUBSCRIBE. */
  MATERIALIZE,
  /** The in-process load generator (no Materialize needed). */
  LOADGEN;

  /** The name used in the YAML file. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type named {@code text} in the YAML file, if any. */
  public static Optional<SourceType> fromConfigName(String text) {
    for (SourceType type : values()) {
      if (type.configName().equals(text)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
