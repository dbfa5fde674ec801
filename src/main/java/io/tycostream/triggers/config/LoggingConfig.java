package io.tycostream.triggers.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How the service logs ({@code logging}), applied once at start-up, right after the configuration is loaded.
 *
 * @param format text lines (the default) or JSON lines
 * @param level  the root level, one of {@link #LEVELS} (upper case); the service's own lines are INFO and above
 */
public record LoggingConfig(LogFormat format, String level) {

  public static final LogFormat DEFAULT_FORMAT = LogFormat.TEXT;
  public static final String DEFAULT_LEVEL = "INFO";
  /** The levels {@code logging.level} accepts, most verbose first. */
  public static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  public LoggingConfig {
    Objects.requireNonNull(format, "format");
    level = level.strip().toUpperCase(Locale.ROOT);
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException("unknown level '" + level + "' (expected one of " + LEVELS + ")");
    }
  }

  public static LoggingConfig defaults() {
    return new LoggingConfig(DEFAULT_FORMAT, DEFAULT_LEVEL);
  }
}
