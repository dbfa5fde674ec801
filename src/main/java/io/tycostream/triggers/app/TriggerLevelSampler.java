package io.tycostream.triggers.app;

import io.tycostream.triggers.metrics.ServiceMetrics;
import io.tycostream.triggers.metrics.TriggerLevels;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredTrigger;
import io.tycostream.triggers.store.TriggerActivity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Feeds the per-trigger gauges only the store can answer (keys matched, events pending, events waiting for a retry,
 * dead letters retained): every
 * {@code metrics.store_sample_ms} it reads the triggers and their activity in two asynchronous statements and hands
 * the sample to {@link TriggerLevels}, so a scrape never queries the database and a slow store delays the sample, not
 * the scrape (the gauges are as old as {@code tycostream_trigger_levels_age_seconds}). One read at a time: a tick
 * that finds the previous read still running is skipped. Triggers that disappeared between two samples were
 * deleted: their meters are removed.
 * <p>
 * Thread-safe; {@link #stop()} cancels the timer.
 */
final class TriggerLevelSampler {

  private static final Logger LOG = LoggerFactory.getLogger(TriggerLevelSampler.class);

  private final Vertx vertx;
  private final Store store;
  private final ServiceMetrics metrics;
  private final long intervalMs;
  private volatile Set<String> lastNames = Set.of();
  /** Timers set outside a Vert.x context may fire on different threads. */
  private final AtomicBoolean reading = new AtomicBoolean();
  private volatile long timer = -1;

  TriggerLevelSampler(Vertx vertx, Store store, ServiceMetrics metrics, long intervalMs) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.intervalMs = intervalMs;
  }

  /** Takes a first sample now, then one every interval. */
  void start() {
    sample();
    timer = vertx.setPeriodic(intervalMs, id -> sample());
  }

  void stop() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void sample() {
    if (!reading.compareAndSet(false, true)) {
      return;
    }
    long startedAt = System.currentTimeMillis();
    store.listTriggers()
        .compose(triggers -> {
          List<String> names = triggers.stream().map(StoredTrigger::name).toList();
          return names.isEmpty() ? Future.succeededFuture(Map.<String, TriggerActivity>of())
              : store.history().activityOf(names);
        })
        .onSuccess(activity -> apply(activity, startedAt))
        .onFailure(failure -> LOG.debug("trigger levels not sampled, the gauges keep the last sample [cause: {}]",
            failure.getMessage()))
        .onComplete(done -> reading.set(false));
  }

  private void apply(Map<String, TriggerActivity> activity, long sampledAt) {
    Map<String, TriggerLevels.Level> levels = new HashMap<>();
    activity.forEach((name, each) -> levels.put(name,
        new TriggerLevels.Level(each.matchedCount(), each.pending(), each.dead(), each.retrying())));
    metrics.triggerLevels().update(levels, sampledAt);
    Set<String> deleted = new HashSet<>(lastNames);
    deleted.removeAll(levels.keySet());
    if (!deleted.isEmpty()) {
      metrics.forgetTriggers(deleted);
    }
    lastNames = Set.copyOf(levels.keySet());
  }
}
