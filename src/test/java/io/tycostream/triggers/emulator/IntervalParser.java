package io.tycostream.triggers.emulator;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration spellings clients use for timeouts: {@code '2s'}, {@code '5min'}, {@code '1 second'},
 * {@code '100ms'}, {@code '00:00:01'}, or a bare number in a caller-chosen unit. Stateless and thread-safe.
 */
final class IntervalParser {

  private static final Pattern PART = Pattern.compile("\\s*(-?\\d+(?:\\.\\d+)?)\\s*([a-z]*)\\s*");
  private static final Pattern CLOCK = Pattern.compile("(\\d+):(\\d{1,2}):(\\d{1,2}(?:\\.\\d+)?)");

  private IntervalParser() {
  }

  /**
   * Milliseconds of {@code text}; a number without unit is multiplied by {@code bareUnitMs}.
   *
   * @throws PgException 22007 when the text is not a duration
   */
  static long toMillis(String text, long bareUnitMs) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    Matcher clock = CLOCK.matcher(value);
    if (clock.matches()) {
      double seconds = Long.parseLong(clock.group(1)) * 3600 + Long.parseLong(clock.group(2)) * 60
          + Double.parseDouble(clock.group(3));
      return Math.round(seconds * 1000);
    }
    Matcher part = PART.matcher(value);
    double total = 0;
    int at = 0;
    boolean any = false;
    while (at < value.length() && part.find(at) && part.start() == at) {
      double amount = Double.parseDouble(part.group(1));
      total += amount * unitMs(part.group(2), bareUnitMs, text);
      at = part.end();
      any = true;
    }
    if (!any || at != value.length()) {
      throw new PgException("22007", "invalid input syntax for type interval: \"" + text + "\"");
    }
    return Math.round(total);
  }

  private static double unitMs(String unit, long bareUnitMs, String text) {
    switch (unit) {
      case "": return bareUnitMs;
      case "us": case "usec": case "usecs": case "microsecond": case "microseconds": return 0.001;
      case "ms": case "msec": case "msecs": case "millisecond": case "milliseconds": return 1;
      case "s": case "sec": case "secs": case "second": case "seconds": return 1000;
      case "m": case "min": case "mins": case "minute": case "minutes": return 60_000;
      case "h": case "hr": case "hrs": case "hour": case "hours": return 3_600_000;
      case "d": case "day": case "days": return 86_400_000;
      default: throw new PgException("22007", "invalid input syntax for type interval: \"" + text + "\"");
    }
  }
}
