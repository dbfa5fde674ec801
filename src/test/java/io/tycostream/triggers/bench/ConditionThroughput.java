package io.tycostream.triggers.bench;

import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ColumnType;
import io.tycostream.triggers.source.SourceColumn;
import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.trigger.condition.Condition;
import io.tycostream.triggers.trigger.condition.ConditionCompiler;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A single-thread microbenchmark of the product's condition evaluation: {@code {"value": {"_gt": 100}}} compiled by
 * {@link ConditionCompiler} against the benchmark view's schema, then {@link Condition#matches} on rows shaped as the
 * source hands them over ({@link Change#row()}: an unmodifiable, insertion-ordered map of boxed values).
 * <p>
 * Method (hand-rolled; JMH would need an annotation processor in the default build): {@value #ROWS} rows with values
 * spread over 0..200 (about half match, so the branch is not predictable), evaluated in calls of {@value #CHUNK}
 * evaluations so the loop is compiled as a normal method; untimed warm-up iterations first, then timed iterations of
 * about one second each; the figure is the median iteration. Every result is summed into a field that is reported,
 * so the JIT cannot drop the work.
 * <p>
 * Caveats: one condition shape on one call site lets the JIT inline it (a service with many different conditions is
 * megamorphic there); {@link #measureMixed} reports that case too. The rows stay in cache; real rows arrive fresh.
 */
final class ConditionThroughput {

  /** What was measured: evaluations per second of the median and every timed iteration. */
  record Result(double medianPerSecond, double[] iterationsPerSecond, double matchedFraction) {
  }

  static final String SIMPLE_PREDICATE = "{\"value\": {\"_gt\": 100}}";
  private static final List<String> MIXED_PREDICATES = List.of(SIMPLE_PREDICATE,
      "{\"id\": {\"_eq\": 7}}",
      "{\"value\": {\"_gte\": 50, \"_lt\": 150}}",
      "{\"_or\": [{\"value\": {\"_lt\": 20}}, {\"note\": {\"_eq\": \"x\"}}]}");
  private static final int ROWS = 4_096;
  private static final int CHUNK = 65_536;
  private static final long MAX_VALUE = 200;
  private static final long SEED = 20_261_201L;

  private final Map<String, Object>[] rows;
  private long sink;

  ConditionThroughput() {
    this.rows = rows();
  }

  /** The simple predicate alone: the figure {@code evals_per_s_per_core}. */
  Result measureSimple(Duration warmup, Duration measured) {
    return measure(new Condition[] {compile(SIMPLE_PREDICATE)}, warmup, measured);
  }

  /** Four shapes in turn on the same call site, as a service with several triggers sees them. */
  Result measureMixed(Duration warmup, Duration measured) {
    return measure(MIXED_PREDICATES.stream().map(ConditionThroughput::compile).toArray(Condition[]::new), warmup,
        measured);
  }

  private Result measure(Condition[] conditions, Duration warmup, Duration measured) {
    runFor(conditions, warmup);
    long matchedBefore = sink;
    long evaluations = 0;
    int iterations = (int) Math.max(1, measured.toSeconds());
    double[] rates = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      long start = System.nanoTime();
      long done = runFor(conditions, Duration.ofSeconds(1));
      rates[i] = done * 1e9 / (System.nanoTime() - start);
      evaluations += done;
    }
    double[] sorted = rates.clone();
    Arrays.sort(sorted);
    return new Result(sorted[sorted.length / 2], rates, (sink - matchedBefore) / (double) Math.max(1, evaluations));
  }

  /** Evaluates in chunks until {@code duration} passed; returns how many evaluations ran. */
  private long runFor(Condition[] conditions, Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    long done = 0;
    int offset = 0;
    while (System.nanoTime() < deadline) {
      sink += evaluateChunk(conditions[offset % conditions.length], offset);
      offset++;
      done += CHUNK;
    }
    return done;
  }

  /** The timed loop: {@value #CHUNK} evaluations of one condition over the rows; returns the matches. */
  private long evaluateChunk(Condition condition, int offset) {
    Map<String, Object>[] data = rows;
    int mask = data.length - 1;
    long matched = 0;
    for (int i = 0; i < CHUNK; i++) {
      if (condition.matches(data[(i + offset) & mask])) {
        matched++;
      }
    }
    return matched;
  }

  private static Condition compile(String predicate) {
    return ConditionCompiler.compile(new JsonObject(predicate), schema(), "fire");
  }

  static SourceSchema schema() {
    return new SourceSchema(List.of(new SourceColumn("id", ColumnType.INTEGER, "int8"),
        new SourceColumn("value", ColumnType.INTEGER, "int8"), new SourceColumn("note", ColumnType.TEXT, "text")),
        List.of("id"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object>[] rows() {
    SplittableRandom random = new SplittableRandom(SEED);
    List<Map<String, Object>> built = new ArrayList<>(ROWS);
    for (long id = 0; id < ROWS; id++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", id);
      row.put("value", random.nextLong(MAX_VALUE + 1));
      row.put("note", "n".repeat(16));
      built.add(Change.upsert(List.of(id), row, BigInteger.ONE).row());
    }
    return built.toArray(Map[]::new);
  }
}
