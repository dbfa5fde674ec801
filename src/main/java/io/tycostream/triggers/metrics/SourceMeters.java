package io.tycostream.triggers.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The meters of one source, label {@code source}: batches and changes committed, commit latency, reconnects, gaps
 * (counters and a histogram, recorded by the evaluator and the progress tracker), and its state and lag (gauges that
 * read what {@link #track} was given at each scrape). One instance per source name for the life of the process, so
 * a unit that stops and starts again (a cluster moving the source) keeps its series.
 * <p>
 * Thread-safe; recording is a counter increment or a histogram update, nothing is looked up.
 */
public final class SourceMeters {

  /** The commit histogram's bucket bounds: from a millisecond (SQLite in WAL) to half a minute (a store retrying). */
  static final Duration[] COMMIT_BUCKETS = ServiceMetrics.durations(1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500,
      5_000, 10_000, 30_000);

  private static final MeterRegistry UNREGISTERED = new CompositeMeterRegistry();

  private final MeterRegistry registry;
  private final String source;
  private final Function<String, TriggerMeters> triggers;
  private final Counter batches;
  private final Counter changes;
  private final Counter reconnects;
  private final Counter gaps;
  private final Timer commits;
  private volatile Supplier<String> state = () -> "starting";
  private volatile DoubleSupplier lagSeconds = () -> Double.NaN;

  SourceMeters(MeterRegistry registry, String source, Function<String, TriggerMeters> triggers) {
    this.registry = registry;
    this.source = source;
    this.triggers = triggers;
    batches = Counter.builder(ServiceMetrics.PREFIX + "source.batches").tag("source", source)
        .description("Batches of changes the source handed over and the evaluator committed").register(registry);
    changes = Counter.builder(ServiceMetrics.PREFIX + "source.changes").tag("source", source)
        .description("Row changes committed (inserts and deletes of the view)").register(registry);
    reconnects = Counter.builder(ServiceMetrics.PREFIX + "source.reconnects").tag("source", source)
        .description("Times the source was connected again after losing its subscription").register(registry);
    gaps = Counter.builder(ServiceMetrics.PREFIX + "source.gaps").tag("source", source)
        .description("History gaps reconciled against a fresh snapshot (history before the checkpoint was compacted)")
        .register(registry);
    commits = Timer.builder(ServiceMetrics.PREFIX + "source.commit").tag("source", source)
        .description("Evaluation and durable store commit of one group of batches")
        .serviceLevelObjectives(COMMIT_BUCKETS)
        .register(registry);
    Gauge.builder(ServiceMetrics.PREFIX + "source.lag", this, meters -> meters.lagSeconds.getAsDouble())
        .tag("source", source).baseUnit("seconds")
        .description("Wall clock minus the timestamp of the last committed frontier (NaN before the first commit)")
        .register(registry);
  }

  /** Meters registered nowhere, for a source tracked without metrics (tests, tools). */
  public static SourceMeters unregistered(String source) {
    return new SourceMeters(UNREGISTERED, source, name -> TriggerMeters.unregistered(name));
  }

  public String source() {
    return source;
  }

  /**
   * What the state and lag gauges read from now on (the latest progress tracker of the source). Registers one
   * {@code tycostream_source_state} gauge per state, 1 for the current one and 0 for the others.
   *
   * @param states       every state the source can be in (lower-cased in the label)
   * @param currentState the current state, read at each scrape
   * @param lagSeconds   the lag, read at each scrape; NaN when unknown
   */
  public void track(Collection<String> states, Supplier<String> currentState, DoubleSupplier lagSeconds) {
    this.state = currentState;
    this.lagSeconds = lagSeconds;
    for (String each : states) {
      String label = each.toLowerCase(Locale.ROOT);
      Gauge.builder(ServiceMetrics.PREFIX + "source.state", this,
              meters -> label.equalsIgnoreCase(meters.state.get()) ? 1 : 0)
          .tag("source", source).tag("state", label)
          .description("1 for the state the source is in, 0 for the others").register(registry);
    }
  }

  /** A group of {@code batchCount} batches holding {@code changeCount} changes was committed in {@code nanos}. */
  public void committed(int batchCount, int changeCount, long nanos) {
    batches.increment(batchCount);
    changes.increment(changeCount);
    commits.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void reconnected() {
    reconnects.increment();
  }

  public void gapReconciled() {
    gaps.increment();
  }

  /** The counters of a trigger of this source (kept by the service, one per trigger name). */
  public TriggerMeters trigger(String trigger) {
    return triggers.apply(trigger);
  }
}
