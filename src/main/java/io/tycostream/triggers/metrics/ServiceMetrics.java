package io.tycostream.triggers.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's meters, in one Micrometer registry that {@code GET /metrics} renders in the Prometheus text format
 * (docs/metrics.md lists every meter). It hands out the meters of each source ({@link SourceMeters}), each trigger
 * ({@link TriggerMeters}), delivery ({@link DeliveryMeters}) and the store-sampled trigger levels
 * ({@link TriggerLevels}), each created once and kept, so the code that records on a hot path holds its meters and
 * builds no names or tags per event. JVM meters are bound at creation; Vert.x's own (pools, HTTP, event bus) come
 * from {@link #vertxMetricsFactory()} when the Vert.x instance is built with it.
 * <p>
 * {@link #disabled()} hands out the same meters over a registry without a backend (Micrometer's no-op meters), so
 * recording costs next to nothing when {@code metrics.enabled} is false and callers need no checks.
 * <p>
 * Thread-safe: meters may be created and recorded on any thread.
 */
public final class ServiceMetrics {

  /** The prefix of the service's own meters (Vert.x's start with {@code vertx_}, the JVM's with {@code jvm_}). */
  public static final String PREFIX = "tycostream.";

  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;
  private final Map<String, SourceMeters> sources = new ConcurrentHashMap<>();
  private final Map<String, TriggerMeters> triggers = new ConcurrentHashMap<>();
  private final DeliveryMeters delivery;
  private final TriggerLevels levels;
  private final JvmGcMetrics gc;

  private ServiceMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
    this.registry = registry;
    this.prometheus = prometheus;
    this.delivery = new DeliveryMeters(registry, this::trigger);
    this.levels = new TriggerLevels(registry);
    if (prometheus != null) {
      new JvmMemoryMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ClassLoaderMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      new FileDescriptorMetrics().bindTo(registry);
      gc = new JvmGcMetrics();
      gc.bindTo(registry);
    } else {
      gc = null;
    }
  }

  /** Meters rendered by {@link #scrape()}, with the JVM's bound. */
  public static ServiceMetrics prometheus() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return new ServiceMetrics(prometheus, prometheus);
  }

  /** Meters that record nothing: {@code metrics.enabled: false}, and components built without metrics. */
  public static ServiceMetrics disabled() {
    return new ServiceMetrics(new CompositeMeterRegistry(), null);
  }

  /** Whether {@link #scrape()} has anything to render. */
  public boolean enabled() {
    return prometheus != null;
  }

  /** The registry, for binders and tests. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Every meter in the Prometheus text format (version 0.0.4); empty when disabled. Not for an event loop. */
  public String scrape() {
    return prometheus == null ? "" : prometheus.scrape();
  }

  /**
   * Makes Vert.x record its own meters (worker and event-loop pools, HTTP servers and clients, the event bus) into
   * this registry; pass it to {@code Vertx.builder().withMetrics(...)} with metrics options enabled.
   */
  public VertxMetricsFactory vertxMetricsFactory() {
    return new MicrometerMetricsFactory(registry);
  }

  /**
   * The metrics options to build Vert.x with (next to {@link #vertxMetricsFactory()}): enabled with this registry,
   * with Vert.x's default labels plus the event-bus address and the client namespace (the SQL pools' names). Both are
   * bounded: fixed addresses and one per source (Vert.x leaves its internal reply addresses out), and three pool
   * names; without them, the gauges of different addresses or pools collide.
   */
  public MicrometerMetricsOptions vertxMetricsOptions() {
    return new MicrometerMetricsOptions().setEnabled(enabled()).setLabels(EnumSet.of(Label.HTTP_METHOD,
        Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME, Label.EB_SIDE, Label.EB_ADDRESS, Label.NAMESPACE));
  }

  /** The meters of {@code source}, created at the first call and the same ones afterwards. */
  public SourceMeters source(String source) {
    Objects.requireNonNull(source, "source");
    return sources.computeIfAbsent(source, name -> new SourceMeters(registry, name, this::trigger));
  }

  /** The counters of {@code trigger}, created at the first call and the same ones afterwards. */
  public TriggerMeters trigger(String trigger) {
    TriggerMeters meters = triggers.get(trigger);
    return meters != null ? meters : triggers.computeIfAbsent(trigger, name -> new TriggerMeters(registry, name));
  }

  /** Forgets the meters of deleted triggers: their series end instead of staying flat forever. */
  public void forgetTriggers(Set<String> deleted) {
    for (String name : deleted) {
      TriggerMeters removed = triggers.remove(name);
      if (removed != null) {
        removed.removeFrom(registry);
      }
      delivery.forgetTrigger(name);
      levels.forget(name);
    }
  }

  public DeliveryMeters delivery() {
    return delivery;
  }

  /** The per-trigger levels read from the store (matched keys, pending and dead events). */
  public TriggerLevels triggerLevels() {
    return levels;
  }

  /** Histogram bucket bounds from milliseconds. */
  static Duration[] durations(long... millis) {
    return java.util.Arrays.stream(millis).mapToObj(Duration::ofMillis).toArray(Duration[]::new);
  }

  /** Releases the JVM binders' listeners and the registry. */
  public void close() {
    if (gc != null) {
      gc.close();
    }
    registry.close();
  }
}
