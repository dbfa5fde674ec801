package io.tycostream.triggers.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The meters of this node's webhook delivery: attempts by trigger and {@link AttemptClass outcome}, attempt latency
 * by trigger (a histogram), and gauges of what delivery holds now — attempts in flight, events waiting in lanes, and
 * each endpoint's circuit breaker state — from the {@link #observe snapshot} delivery takes on its own event loop
 * every second (so a scrape never touches delivery's state). Endpoints are {@code scheme://host:port}: a URL's path
 * and query may carry credentials.
 * <p>
 * Thread-safe. Recording an attempt looks its trigger's meters up once in a map keyed by the trigger name (no name
 * or tag is built) and increments one pre-registered counter.
 */
public final class DeliveryMeters {

  /** Breaker states as labels. */
  public static final List<String> BREAKER_STATES = List.of("closed", "open", "half_open");
  /**
   * The attempt histogram's bucket bounds: a dozen fixed ones (not Micrometer's ~70 percentile buckets), because the
   * histogram is per trigger and a few thousand triggers must stay a few ten thousand series.
   */
  static final Duration[] ATTEMPT_BUCKETS = ServiceMetrics.durations(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500,
      5_000, 10_000, 30_000);

  private final MeterRegistry registry;
  private final Function<String, TriggerMeters> triggers;
  private final Map<String, TriggerAttempts> attempts = new ConcurrentHashMap<>();
  private final Map<String, String> breakerStates = new ConcurrentHashMap<>();
  private final Set<String> endpointsSeen = ConcurrentHashMap.newKeySet();
  private volatile int inFlight;
  private volatile int waiting;

  DeliveryMeters(MeterRegistry registry, Function<String, TriggerMeters> triggers) {
    this.registry = registry;
    this.triggers = triggers;
    Gauge.builder(ServiceMetrics.PREFIX + "delivery.in_flight", this, meters -> meters.inFlight)
        .description("Webhook requests in flight on this node").register(registry);
    Gauge.builder(ServiceMetrics.PREFIX + "delivery.waiting_events", this, meters -> meters.waiting)
        .description("Claimed events held on this node, waiting for a lane slot, a rate gate, a batch or their "
            + "outcome write (events waiting for their next retry stay in the store: see "
            + "tycostream_trigger_pending_events)")
        .register(registry);
  }

  /** Meters registered nowhere, for delivery built without metrics (tests). */
  public static DeliveryMeters unregistered() {
    return new DeliveryMeters(new CompositeMeterRegistry(), TriggerMeters::unregistered);
  }

  /** One attempt of an event (or a batch) of {@code trigger} ended as {@code outcome} after {@code nanos}. */
  public void attempt(String trigger, AttemptClass outcome, long nanos) {
    TriggerAttempts meters = attempts.get(trigger);
    if (meters == null) {
      meters = attempts.computeIfAbsent(trigger, name -> new TriggerAttempts(registry, name));
    }
    meters.outcomes[outcome.ordinal()].increment();
    if (outcome != AttemptClass.CIRCUIT_OPEN && outcome != AttemptClass.NOT_SENT) {
      meters.latency.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** The counters of {@code trigger} (delivered, dead-lettered). */
  public TriggerMeters trigger(String trigger) {
    return triggers.apply(trigger);
  }

  /**
   * What delivery holds now; called on delivery's event loop. An endpoint seen before but not in
   * {@code breakerByEndpoint} (its lane is idle and healthy) reads {@code closed}.
   *
   * @param breakerByEndpoint the state ({@link #BREAKER_STATES}) of each endpoint with a lane
   */
  public void observe(int inFlightNow, int waitingNow, Map<String, String> breakerByEndpoint) {
    inFlight = inFlightNow;
    waiting = waitingNow;
    breakerStates.keySet().retainAll(breakerByEndpoint.keySet());
    breakerStates.putAll(breakerByEndpoint);
    for (String endpoint : breakerByEndpoint.keySet()) {
      if (endpointsSeen.add(endpoint)) {
        for (String state : BREAKER_STATES) {
          Gauge.builder(ServiceMetrics.PREFIX + "delivery.breaker.state", this,
                  meters -> state.equals(meters.breakerStates.getOrDefault(endpoint, "closed")) ? 1 : 0)
              .tag("endpoint", endpoint).tag("state", state)
              .description("1 for the state the endpoint's circuit breaker is in on this node, 0 for the others")
              .register(registry);
        }
      }
    }
  }

  void forgetTrigger(String trigger) {
    TriggerAttempts removed = attempts.remove(trigger);
    if (removed != null) {
      removed.meters().forEach(registry::remove);
    }
  }

  /** The pre-registered attempt meters of one trigger. */
  private static final class TriggerAttempts {
    final Counter[] outcomes = new Counter[AttemptClass.values().length];
    final Timer latency;

    TriggerAttempts(MeterRegistry registry, String trigger) {
      for (AttemptClass outcome : AttemptClass.values()) {
        outcomes[outcome.ordinal()] = Counter.builder(ServiceMetrics.PREFIX + "delivery.attempts")
            .tag("trigger", trigger).tag("outcome", outcome.label())
            .description("Delivery attempts on this node, by outcome class").register(registry);
      }
      latency = Timer.builder(ServiceMetrics.PREFIX + "delivery.attempt").tag("trigger", trigger)
          .description("Duration of delivery attempts, from their start (address resolution, signing, the request) "
              + "to the answer or the failure")
          .serviceLevelObjectives(ATTEMPT_BUCKETS)
          .register(registry);
    }

    List<Meter> meters() {
      List<Meter> all = new ArrayList<>(List.of(outcomes));
      all.add(latency);
      return all;
    }
  }
}
