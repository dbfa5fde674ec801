package io.tycostream.triggers.bench;

/** How the benchmark writes its numbers: rounded for the JSON report, {@code null} kept as {@code null}. Pure. */
final class Figures {

  private Figures() {
  }

  /** Three significant decimals at most; {@code null} and non-finite values become {@code null}. */
  static Double round(Double value) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      return null;
    }
    return Math.round(value * 1000.0) / 1000.0;
  }

  static String text(Double value) {
    return value == null ? "n/a" : String.format("%.1f", value);
  }
}
