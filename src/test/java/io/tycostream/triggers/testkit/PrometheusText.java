package io.tycostream.triggers.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape in the Prometheus text format (version 0.0.4) as samples, the way Prometheus reads it: {@code # HELP} and
 * {@code # TYPE} lines are kept as types, each other line is a name, optional labels and a value. Enough for tests:
 * label values with escaped quotes are read, exemplars and timestamps are not expected.
 */
public final class PrometheusText {

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {
  }

  private final List<Sample> samples;
  private final Map<String, String> types;

  private PrometheusText(List<Sample> samples, Map<String, String> types) {
    this.samples = samples;
    this.types = types;
  }

  /** Parses {@code text}; a line that is neither a comment nor a sample fails the parse. */
  public static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring("# TYPE ".length()).split(" ");
        types.put(parts[0], parts[1]);
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (sample.group(3) != null) {
        Matcher label = LABEL.matcher(sample.group(3));
        while (label.find()) {
          labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
      }
      samples.add(new Sample(sample.group(1), labels, parseValue(sample.group(4))));
    }
    return new PrometheusText(List.copyOf(samples), Map.copyOf(types));
  }

  private static double parseValue(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The declared type of a metric family ({@code counter}, {@code gauge}, {@code histogram}), if declared. */
  public Optional<String> type(String family) {
    return Optional.ofNullable(types.get(family));
  }

  /** The samples named {@code name} whose labels include every entry of {@code labels}. */
  public List<Sample> find(String name, Map<String, String> labels) {
    return samples.stream().filter(sample -> sample.name().equals(name)
        && sample.labels().entrySet().containsAll(labels.entrySet())).toList();
  }

  /** The value of the one sample named {@code name} with (at least) {@code labels}; empty if none. */
  public Optional<Double> value(String name, Map<String, String> labels) {
    List<Sample> found = find(name, labels);
    if (found.size() > 1) {
      throw new IllegalStateException("more than one sample " + name + labels + ": " + found);
    }
    return found.stream().findFirst().map(Sample::value);
  }

  /** The value of that sample, 0 when there is none (a counter not yet incremented may be absent). */
  public double valueOrZero(String name, Map<String, String> labels) {
    return value(name, labels).orElse(0.0);
  }
}
