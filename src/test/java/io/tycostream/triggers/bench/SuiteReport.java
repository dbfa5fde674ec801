package io.tycostream.triggers.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link BenchmarkSuite} measured, as {@code target/benchmark.json}: the figures (each {@code null} until a
 * scenario measured it, with a note saying why when it could not), the goals and whether each was met, the machine,
 * the settings, every scenario's details and the notes. Thread-safe: the watchdog may write it while a scenario runs.
 */
final class SuiteReport {

  /** One of the goals on a figure. */
  record Goal(String key, boolean atLeast, double bound) {

    /** {@code null} when the figure is unknown. */
    Boolean met(Double value) {
      if (value == null) {
        return null;
      }
      return atLeast ? value >= bound : value < bound;
    }

    String text() {
      return (atLeast ? ">= " : "< ") + (bound == Math.rint(bound) ? String.valueOf((long) bound)
          : String.valueOf(bound));
    }
  }

  static final List<String> KEYS = List.of("http_ceiling_rps", "delivered_eps", "delivered_ratio", "p50_ms_1k",
      "p99_ms_1k", "p99_ms_5k", "p99_ms_10k_triggers", "single_change_max_cps", "p99_ms_2k_single",
      "evals_per_s_per_core", "resume_ms", "dup_delay_ms_max", "postgres_delivered_eps", "cluster_delivered_eps",
      "batched_delivered_eps", "baseline_extra_commit_ms");
  static final List<Goal> GOALS = List.of(
      new Goal("delivered_ratio", true, 0.6),
      new Goal("p99_ms_1k", false, 25),
      new Goal("p99_ms_5k", false, 50),
      new Goal("p99_ms_10k_triggers", false, 100),
      new Goal("single_change_max_cps", true, 5_000),
      new Goal("p99_ms_2k_single", false, 50),
      new Goal("evals_per_s_per_core", true, 10_000_000),
      new Goal("resume_ms", false, 3_000),
      new Goal("dup_delay_ms_max", false, 5_000),
      new Goal("batched_delivered_eps", true, 100_000),
      new Goal("baseline_extra_commit_ms", false, 100));

  private final Map<String, Double> figures = new LinkedHashMap<>();
  private final JsonObject scenarios = new JsonObject();
  private final List<String> notes = new ArrayList<>();
  private final JsonObject machine = MachineDescription.json();
  private final Instant started = Instant.now();
  private final long startedNanos = System.nanoTime();
  private final SuiteSettings settings;

  SuiteReport(SuiteSettings settings) {
    this.settings = settings;
    KEYS.forEach(key -> figures.put(key, null));
  }

  synchronized void put(String key, Double value) {
    if (!figures.containsKey(key)) {
      throw new IllegalArgumentException("not a benchmark key: " + key);
    }
    figures.put(key, Figures.round(value));
  }

  synchronized Double get(String key) {
    return figures.get(key);
  }

  synchronized void scenario(String name, Object details) {
    scenarios.put(name, details);
  }

  synchronized void note(String text) {
    notes.add(text);
    System.out.println("  note: " + text);
  }

  synchronized JsonObject json() {
    JsonObject json = new JsonObject();
    figures.forEach((key, value) -> json.put(key, Figures.json(value)));
    JsonObject goals = new JsonObject();
    for (Goal goal : GOALS) {
      goals.put(goal.key(), new JsonObject().put("goal", goal.text()).put("value", Figures.json(figures.get(goal.key())))
          .put("met", goal.met(figures.get(goal.key()))));
    }
    JsonObject machineNow = machine.copy().put("load_average_1m_at_end", MachineDescription.loadAverage());
    return json.put("goals", goals)
        .put("machine", machineNow)
        .put("started_at", started.toString())
        .put("elapsed_s", Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds())
        .put("settings", settingsJson())
        .put("scenarios", scenarios.copy())
        .put("notes", new JsonArray(new ArrayList<>(notes)));
  }

  /** A one-line-per-figure summary, goals marked. */
  synchronized List<String> summary() {
    List<String> lines = new ArrayList<>();
    for (String key : KEYS) {
      Double value = figures.get(key);
      String goal = GOALS.stream().filter(g -> g.key().equals(key)).findFirst()
          .map(g -> "  (goal " + g.text() + ": " + verdict(g.met(value)) + ")").orElse("");
      lines.add(String.format("%-22s %14s%s", key, value == null ? "null" : Figures.text(value), goal));
    }
    return lines;
  }

  String subtitle() {
    return String.format("%s, %d cores, Java %s, %s", machine.getString("cpu"), machine.getInteger("cores"),
        machine.getString("java"), started.toString().substring(0, 16).replace('T', ' ') + " UTC");
  }

  private static String verdict(Boolean met) {
    return met == null ? "unknown" : met ? "met" : "NOT met";
  }

  private JsonObject settingsJson() {
    JsonObject json = new JsonObject();
    for (RecordComponent component : SuiteSettings.class.getRecordComponents()) {
      try {
        Object value = component.getAccessor().invoke(settings);
        json.put(component.getName(), value instanceof Number || value == null ? value
            : value instanceof Path || value instanceof List ? String.valueOf(value) : value.toString());
      } catch (ReflectiveOperationException e) {
        json.put(component.getName(), "unreadable: " + e.getMessage());
      }
    }
    return json;
  }
}
