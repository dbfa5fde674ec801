package io.tycostream.triggers.config;

import java.util.List;
import java.util.Objects;

/**
 * The whole service configuration, loaded and validated once at startup by {@link ConfigLoader} and passed down.
 * Immutable.
 *
 * @param admin   the admin HTTP server
 * @param sources the declared sources, in file order
 */
public record TriggersConfig(AdminConfig admin, List<SourceConfig> sources) {

  public TriggersConfig {
    Objects.requireNonNull(admin, "admin");
    sources = List.copyOf(sources);
  }

  /** The source names, in file order. */
  public List<String> sourceNames() {
    return sources.stream().map(SourceConfig::name).toList();
  }
}
