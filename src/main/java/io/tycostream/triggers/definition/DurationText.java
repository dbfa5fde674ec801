package io.tycostream.triggers.definition;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as a trigger definition writes them: a positive whole number and one unit, {@code ms}, {@code s},
 * {@code m}, {@code h} or {@code d} ({@code "500ms"}, {@code "30s"}, {@code "5m"}, {@code "2h"}, {@code "1d"}).
 * {@link #format} gives back the shortest exact text, so a stored definition reads as it was written. Stateless.
 */
public final class DurationText {

  private static final Pattern TEXT = Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)");

  private DurationText() {
  }

  /** The duration {@code text} names, or empty when it is not of the form above. */
  public static Optional<Duration> parse(String text) {
    Matcher matcher = text == null ? null : TEXT.matcher(text);
    if (matcher == null || !matcher.matches()) {
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

  /** The shortest text {@link #parse} reads back as {@code duration} (whole milliseconds). */
  public static String format(Duration duration) {
    long ms = duration.toMillis();
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms != 0 && ms % sizes[i] == 0) {
        return ms / sizes[i] + units[i];
      }
    }
    return ms + "ms";
  }
}
