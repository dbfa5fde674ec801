package io.tycostream.triggers.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-trigger levels only the store knows — keys matched now, events pending delivery, of those the ones waiting for
 * a retry (the retry queue), dead letters retained — as gauges over the last {@link #update sample}. The store is read by a sampler every few seconds, never by a scrape,
 * so the values are as old as {@code tycostream_trigger_levels_age_seconds} says. The store is shared: in a cluster
 * every node reports the same values (aggregate with {@code max by (trigger)}, not {@code sum}).
 * <p>
 * Thread-safe: the sampler writes whole snapshots, scrapes read them.
 */
public final class TriggerLevels {

  /**
   * What the store says about one trigger.
   *
   * @param retryingEvents pending events with at least one failed attempt: waiting for their retry time, or being
   *                       retried now (a subset of {@code pendingEvents})
   */
  public record Level(long matchedKeys, long pendingEvents, long deadEvents, long retryingEvents) {
  }

  private final MeterRegistry registry;
  private final Map<String, Level> levels = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> gauges = new ConcurrentHashMap<>();
  private volatile long sampledAtMs = -1;

  TriggerLevels(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(ServiceMetrics.PREFIX + "trigger.levels.age", this,
            meters -> meters.sampledAtMs < 0 ? Double.NaN : (System.currentTimeMillis() - meters.sampledAtMs) / 1000.0)
        .baseUnit("seconds")
        .description("Age of the store sample behind the per-trigger matched, pending, dead and retry queue gauges")
        .register(registry);
  }

  /**
   * A new sample, taken at {@code sampledAtMs}: gauges of triggers in it show its values, gauges of triggers not in
   * it are removed.
   */
  public void update(Map<String, Level> sample, long sampledAt) {
    levels.putAll(sample);
    levels.keySet().retainAll(sample.keySet());
    for (String trigger : sample.keySet()) {
      gauges.computeIfAbsent(trigger, this::register);
    }
    for (String gone : List.copyOf(gauges.keySet())) {
      if (!sample.containsKey(gone)) {
        forget(gone);
      }
    }
    sampledAtMs = sampledAt;
  }

  void forget(String trigger) {
    levels.remove(trigger);
    List<Meter> removed = gauges.remove(trigger);
    if (removed != null) {
      removed.forEach(registry::remove);
    }
  }

  private List<Meter> register(String trigger) {
    return List.of(
        gauge(trigger, "matched_keys", "Keys for which the trigger's condition holds now", Level::matchedKeys),
        gauge(trigger, "pending_events", "Events waiting for delivery (including retries waiting for their time)",
            Level::pendingEvents),
        gauge(trigger, "dead_events", "Dead-lettered events still retained", Level::deadEvents),
        gauge(trigger, "retry_queue_events", "Pending events waiting for a retry after a failed attempt "
            + "(or being retried now)", Level::retryingEvents, "delivery."));
  }

  private Meter gauge(String trigger, String what, String description,
                      java.util.function.ToLongFunction<Level> value) {
    return gauge(trigger, what, description, value, "trigger.");
  }

  private Meter gauge(String trigger, String what, String description,
                      java.util.function.ToLongFunction<Level> value, String group) {
    return Gauge.builder(ServiceMetrics.PREFIX + group + what, this, meters -> {
          Level level = meters.levels.get(trigger);
          return level == null ? Double.NaN : value.applyAsLong(level);
        })
        .tag("trigger", trigger).description(description).register(registry);
  }
}
