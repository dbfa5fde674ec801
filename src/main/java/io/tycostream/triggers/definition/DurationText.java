package io.tycostream.triggers.definition;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as users write them in a trigger definition: a whole number and one unit, {@code "500ms"}, {@code "30s"},
 * {@code "5m"}, {@code "2h"}, {@code "1d"}. {@link #format} writes a duration back in the largest unit that holds it
 * exactly, so the stored and shown form is stable ({@code "90s"} stays {@code "90s"}, {@code "120s"} reads
 * {@code "2m"}). Stateless.
 */
public final class DurationText {

  private static final Pattern TEXT = Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)");

  private DurationText() {
  }

  /** The duration {@code text} names, or empty when it is not of the form {@code <digits><ms|s|m|h|d>}. */
  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher matcher = TEXT.matcher(text.strip());
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

  /** {@code duration} (whole milliseconds) in the largest unit that holds it exactly. */
  public static String format(Duration duration) {
    long ms = duration.toMillis();
    if (ms != 0 && ms % 86_400_000L == 0) {
      return ms / 86_400_000L + "d";
    }
    if (ms != 0 && ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms != 0 && ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    }
    if (ms != 0 && ms % 1_000L == 0) {
      return ms / 1_000L + "s";
    }
    return ms + "ms";
  }
}
