package io.tycostream.triggers.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.util.List;

/**
 * The counters of one trigger on this node, label {@code trigger}: events it emitted (fires, clears, suppressed by a
 * delivery gate) as their commit became durable, and events delivery ended (delivered, dead-lettered) as their
 * outcome was recorded. Counted where they happen, so in a cluster each node counts its own share and
 * {@code sum by (trigger)} over nodes is the total. Created once per trigger name and kept until the trigger is
 * deleted.
 * <p>
 * Thread-safe; each method is one counter increment.
 */
public final class TriggerMeters {

  private static final MeterRegistry UNREGISTERED = new CompositeMeterRegistry();

  private final Counter fires;
  private final Counter clears;
  private final Counter suppressed;
  private final Counter delivered;
  private final Counter deadLettered;

  TriggerMeters(MeterRegistry registry, String trigger) {
    fires = counter(registry, trigger, "fires", "FIRE events committed (the condition started to hold for a key)");
    clears = counter(registry, trigger, "clears", "CLEAR events committed (the condition stopped holding for a key)");
    suppressed = counter(registry, trigger, "suppressed",
        "Events committed but held back by a delivery gate (cooldown, deliver_if): stored, never sent");
    delivered = counter(registry, trigger, "delivered", "Events whose delivery (a 2xx) was recorded");
    deadLettered = counter(registry, trigger, "dead_lettered",
        "Events dead-lettered (retries spent, expired, trigger deleted)");
  }

  static TriggerMeters unregistered(String trigger) {
    return new TriggerMeters(UNREGISTERED, trigger);
  }

  private static Counter counter(MeterRegistry registry, String trigger, String what, String description) {
    return Counter.builder(ServiceMetrics.PREFIX + "trigger." + what).tag("trigger", trigger)
        .description(description).register(registry);
  }

  public void fired() {
    fires.increment();
  }

  public void cleared() {
    clears.increment();
  }

  public void suppressed() {
    suppressed.increment();
  }

  public void delivered() {
    delivered.increment();
  }

  public void deadLettered() {
    deadLettered.increment();
  }

  void removeFrom(MeterRegistry registry) {
    for (Meter meter : List.<Meter>of(fires, clears, suppressed, delivered, deadLettered)) {
      registry.remove(meter);
    }
  }
}
