package io.tycostream.triggers.definition;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as users write them in trigger definitions: a whole number and a unit, {@code "500ms"}, {@code "30s"},
 * {@code "5m"}, {@code "2h"} or {@code "1d"}. Nothing else (no fractions, no ISO-8601, no bare numbers), so a value
 * means one thing. {@link #format} writes the shortest exact form back. Stateless.
 */
public final class DurationText {

  private static final Pattern FORM = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  private DurationText() {
  }

  /** The duration {@code text} names, empty when it is not of the form {@code <digits><ms|s|m|h|d>}. */
  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher matcher = FORM.matcher(text);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    long amount = Long.parseLong(matcher.group(1));
    return Optional.of(switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    });
  }

  /** The shortest exact text for {@code duration}, e.g. {@code "1s"} for 1,000 ms, {@code "1500ms"} for 1.5 s. */
  public static String format(Duration duration) {
    long ms = duration.toMillis();
    if (ms % 86_400_000L == 0 && ms > 0) {
      return ms / 86_400_000L + "d";
    }
    if (ms % 3_600_000L == 0 && ms > 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms % 60_000L == 0 && ms > 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1_000L == 0 && ms > 0) {
      return ms / 1_000L + "s";
    }
    return ms + "ms";
  }
}
