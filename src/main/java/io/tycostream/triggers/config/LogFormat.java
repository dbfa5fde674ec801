package io.tycostream.triggers.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How log lines are written on standard output ({@code logging.format}). */
public enum LogFormat {
  /** One human-readable line per event: {@code 12:00:00.000 INFO  Logger - message [key: value, ...]}. */
  TEXT,
  /** One JSON object per line, the bracketed context as fields, for log collectors. */
  JSON;

  /** The name used in the YAML file. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The YAML names of every format, in declaration order, for error messages. */
  public static List<String> configNames() {
    return Arrays.stream(values()).map(LogFormat::configName).toList();
  }

  /** The format named {@code text} in the YAML file, ignoring case and surrounding blanks (env values), if any. */
  public static Optional<LogFormat> fromConfigName(String text) {
    String wanted = text.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(format -> format.configName().equals(wanted)).findFirst();
  }
}
