package io.tycostream.triggers.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws latency against offered load as a standalone SVG (no dependencies): p50 and p99 of the paced runs on log-log
 * axes, the p99 of the other paced runs (one change per timestamp, many triggers) as green markers named in the
 * legend, and the p99 goals as red crosses. A percentile that is unknown (events never arrived) is left out and listed under the plot. Pure.
 */
final class LatencyPlot {

  /** A p99 goal: below {@code p99Ms} at {@code eventsPerSecond}. */
  record Goal(String label, double eventsPerSecond, double p99Ms) {
  }

  private static final int WIDTH = 800;
  private static final int HEIGHT = 480;
  private static final int LEFT = 80;
  private static final int RIGHT = 240;
  private static final int TOP = 60;
  private static final int BOTTOM = 90;
  private static final String P50_COLOUR = "#1f77b4";
  private static final String P99_COLOUR = "#ff7f0e";
  private static final String OTHER_COLOUR = "#2ca02c";
  private static final String GOAL_COLOUR = "#d62728";
  private static final double MIN_MS = 0.1;
  private static final int MARKER_SHAPES = 3;
  private static final double LABEL_ABOVE = -6;
  private static final double LABEL_BELOW = 14;

  private final List<LoadPoint> ladder;
  private final List<LoadPoint> others;
  private final List<Goal> goals;
  private final String subtitle;
  private double minX;
  private double maxX;
  private double minY;
  private double maxY;

  LatencyPlot(List<LoadPoint> ladder, List<LoadPoint> others, List<Goal> goals, String subtitle) {
    this.ladder = List.copyOf(ladder);
    this.others = List.copyOf(others);
    this.goals = List.copyOf(goals);
    this.subtitle = subtitle;
  }

  String svg() {
    scale();
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
    svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
    text(svg, LEFT, 24, "Latency vs offered load: emulator commit → webhook receiver", "font-size=\"15\"");
    text(svg, LEFT, 42, subtitle, "fill=\"#555\"");
    axes(svg);
    series(svg, ladder.stream().map(p -> new double[] {p.offeredPerSecond(), value(p.p50Ms())}).toList(), P50_COLOUR,
        LABEL_BELOW);
    series(svg, ladder.stream().map(p -> new double[] {p.offeredPerSecond(), value(p.p99Ms())}).toList(), P99_COLOUR,
        LABEL_ABOVE);
    for (int i = 0; i < others.size(); i++) {
      LoadPoint other = others.get(i);
      if (other.p99Ms() != null) {
        marker(svg, i, x(other.offeredPerSecond()), y(other.p99Ms()));
      }
    }
    for (Goal goal : goals) {
      double x = x(goal.eventsPerSecond());
      double y = y(goal.p99Ms());
      svg.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f\" stroke=\"%s\""
          + " stroke-width=\"2\"/>%n", x - 5, y - 5, x + 5, y + 5, x - 5, y + 5, x + 5, y - 5, GOAL_COLOUR));
    }
    legend(svg);
    unknowns(svg);
    svg.append("</svg>\n");
    return svg.toString();
  }

  private void scale() {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (LoadPoint point : concat()) {
      xs.add((double) point.offeredPerSecond());
      for (Double ms : new Double[] {point.p50Ms(), point.p99Ms()}) {
        if (ms != null) {
          ys.add(Math.max(MIN_MS, ms));
        }
      }
    }
    goals.forEach(goal -> {
      xs.add(goal.eventsPerSecond());
      ys.add(goal.p99Ms());
    });
    minX = decadeBelow(xs.stream().mapToDouble(Double::doubleValue).min().orElse(100));
    maxX = decadeAbove(xs.stream().mapToDouble(Double::doubleValue).max().orElse(10_000));
    minY = decadeBelow(ys.stream().mapToDouble(Double::doubleValue).min().orElse(1));
    maxY = decadeAbove(ys.stream().mapToDouble(Double::doubleValue).max().orElse(1_000));
  }

  private void axes(StringBuilder svg) {
    double bottom = HEIGHT - BOTTOM;
    double right = WIDTH - RIGHT;
    for (double decade = minX; decade <= maxX * 1.001; decade *= 10) {
      for (int step = 1; step < 10 && decade * step <= maxX * 1.001; step++) {
        double x = x(decade * step);
        line(svg, x, TOP, x, bottom, step == 1 ? "#ccc" : "#eee");
        if (step == 1 || step == 2 || step == 5) {
          text(svg, x - 12, bottom + 16, format(decade * step), "");
        }
      }
    }
    for (double decade = minY; decade <= maxY * 1.001; decade *= 10) {
      for (int step = 1; step < 10 && decade * step <= maxY * 1.001; step++) {
        double y = y(decade * step);
        line(svg, LEFT, y, right, y, step == 1 ? "#ccc" : "#eee");
        if (step == 1 || step == 2 || step == 5) {
          text(svg, LEFT - 44, y + 4, format(decade * step), "");
        }
      }
    }
    line(svg, LEFT, bottom, right, bottom, "#333");
    line(svg, LEFT, TOP, LEFT, bottom, "#333");
    text(svg, LEFT + 120, bottom + 36, "offered load, events/s (log scale; one event per change)", "");
    svg.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"%d\" transform=\"rotate(-90 20 %d)\">latency, ms"
        + " (log scale)</text>%n", (TOP + HEIGHT - BOTTOM) / 2 + 50, (TOP + HEIGHT - BOTTOM) / 2 + 50));
  }

  private void series(StringBuilder svg, List<double[]> points, String colour, double labelOffset) {
    StringBuilder path = new StringBuilder();
    for (double[] point : points) {
      if (Double.isNaN(point[1])) {
        continue;
      }
      double x = x(point[0]);
      double y = y(Math.max(MIN_MS, point[1]));
      path.append(path.length() == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
      svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n", x, y, colour));
      text(svg, x + 6, y + labelOffset, format(point[1]) + " ms", "font-size=\"10\" fill=\"" + colour + "\"");
    }
    if (path.length() > 0) {
      svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
          path, colour));
    }
  }

  private void legend(StringBuilder svg) {
    double x = WIDTH - RIGHT + 20;
    double y = TOP + 10;
    String[][] entries = {{P50_COLOUR, "p50, paced runs"}, {P99_COLOUR, "p99, paced runs"},
        {GOAL_COLOUR, "p99 goal (issue)"}};
    for (String[] entry : entries) {
      svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
          x, y - 10, entry[0]));
      text(svg, x + 18, y, entry[1], "");
      y += 20;
    }
    for (int i = 0; i < others.size(); i++) {
      LoadPoint other = others.get(i);
      marker(svg, i, x + 6, y - 4);
      text(svg, x + 18, y, other.run(), "");
      text(svg, x + 18, y + 14, "p99 " + (other.p99Ms() == null ? "unknown" : format(other.p99Ms()) + " ms"),
          "fill=\"#555\"");
      y += 34;
    }
  }

  /** The {@code index}-th marker shape (square, diamond, triangle) for the other runs. */
  private static void marker(StringBuilder svg, int index, double x, double y) {
    String path = switch (index % MARKER_SHAPES) {
      case 0 -> String.format(Locale.ROOT, "M%.1f %.1fh10v10h-10z", x - 5, y - 5);
      case 1 -> String.format(Locale.ROOT, "M%.1f %.1fl6 6l-6 6l-6 -6z", x, y - 6);
      default -> String.format(Locale.ROOT, "M%.1f %.1fl6 10h-12z", x, y - 6);
    };
    svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"%s\"/>%n", path, OTHER_COLOUR));
  }

  private void unknowns(StringBuilder svg) {
    double y = HEIGHT - 28;
    for (LoadPoint point : concat()) {
      if (point.p99Ms() == null) {
        text(svg, LEFT, y, String.format(Locale.ROOT, "%s at %d/s: p99 unknown, %d of %d events not delivered in"
            + " time", point.run(), point.offeredPerSecond(), point.missing(), point.measured()), "fill=\"#a00\"");
        y += 14;
      }
    }
  }

  private List<LoadPoint> concat() {
    List<LoadPoint> all = new ArrayList<>(ladder);
    all.addAll(others);
    return all;
  }

  private double x(double eventsPerSecond) {
    double fraction = (Math.log10(eventsPerSecond) - Math.log10(minX)) / (Math.log10(maxX) - Math.log10(minX));
    return LEFT + fraction * (WIDTH - LEFT - RIGHT);
  }

  private double y(double millis) {
    double fraction = (Math.log10(millis) - Math.log10(minY)) / (Math.log10(maxY) - Math.log10(minY));
    return HEIGHT - BOTTOM - fraction * (HEIGHT - TOP - BOTTOM);
  }

  private static double value(Double millis) {
    return millis == null ? Double.NaN : millis;
  }

  private static double decadeBelow(double value) {
    return Math.pow(10, Math.floor(Math.log10(Math.max(MIN_MS, value))));
  }

  private static double decadeAbove(double value) {
    return Math.pow(10, Math.ceil(Math.log10(Math.max(MIN_MS, value))));
  }

  private static String format(double value) {
    if (value >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return value >= 10 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
  }

  private static void line(StringBuilder svg, double x1, double y1, double x2, double y2, String colour) {
    svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
        x1, y1, x2, y2, colour));
  }

  private static void text(StringBuilder svg, double x, double y, String content, String attributes) {
    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" %s>%s</text>%n", x, y, attributes,
        escape(content)));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
