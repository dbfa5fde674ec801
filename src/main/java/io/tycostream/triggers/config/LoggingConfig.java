package io.tycostream.triggers.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import static java.util.Objects.requireNonNullElse;

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

  /** The {@code logging} section as written: each field left out takes its default, here and nowhere else. */
  @JsonCreator
  static LoggingConfig fromFile(@JsonProperty("format") String format, @JsonProperty("level") String level) {
    LogFormat logFormat = format == null ? DEFAULT_FORMAT : LogFormat.fromConfigName(format).orElseThrow(() ->
        new InvalidFieldException("format", "unknown format '" + format + "' (expected one of "
            + String.join(", ", LogFormat.configNames()) + ")"));
    try {
      return new LoggingConfig(logFormat, requireNonNullElse(level, DEFAULT_LEVEL));
    } catch (IllegalArgumentException invalid) {
      throw new InvalidFieldException("level", invalid.getMessage());
    }
  }

  /** What a file without a {@code logging} section gives. */
  public static LoggingConfig defaults() {
    return fromFile(null, null);
  }
}
