package io.tycostream.triggers.bench;

/** How the benchmark writes its numbers: rounded for the JSON report, {@code null} kept as {@code null}. Pure. */
final class Figures {

  private static final double WHOLE_FROM = 1_000;

  private Figures() {
  }

  /** Three significant decimals at most; {@code null} and non-finite values become {@code null}. */
  static Double round(Double value) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      return null;
    }
    return Math.round(value * 1000.0) / 1000.0;
  }

  /** For the JSON report: whole numbers from 1,000 up (no exponent), three decimals below. */
  static Number json(Double value) {
    Double rounded = round(value);
    if (rounded == null) {
      return null;
    }
    if (Math.abs(rounded) >= WHOLE_FROM) {
      // not a conditional expression: that would promote the Long back to a Double
      return Math.round(rounded);
    }
    return rounded;
  }

  /** For people: one decimal, three below 10 (ratios). */
  static String text(Double value) {
    if (value == null) {
      return "n/a";
    }
    return Math.abs(value) < 10 ? String.format("%.3f", value) : String.format("%.1f", value);
  }
}
