package io.tycostream.triggers.bench;

import java.util.Arrays;
import java.util.Map;

/**
 * What one benchmark phase measured: how many of the predicted events arrived, the delivery rate from the first to
 * the last arrival, and the latency of each event from its emulator write to its arrival at the receiver.
 * Immutable once built.
 */
final class PhaseResult {

  private final String name;
  private final int changes;
  private final double writesPerSecond;
  private final int expected;
  private final long[] sortedLatencyNanos;
  private final long firstArrivalNanos;
  private final long lastArrivalNanos;
  private final MachineLoad load;

  private PhaseResult(String name, int changes, double writesPerSecond, int expected, long[] sortedLatencyNanos,
                      long firstArrivalNanos, long lastArrivalNanos, MachineLoad load) {
    this.name = name;
    this.changes = changes;
    this.writesPerSecond = writesPerSecond;
    this.expected = expected;
    this.sortedLatencyNanos = sortedLatencyNanos;
    this.firstArrivalNanos = firstArrivalNanos;
    this.lastArrivalNanos = lastArrivalNanos;
    this.load = load;
  }

  /** Matches every predicted event (id to write time) with its first arrival at {@code recorder}. */
  static PhaseResult of(String name, int changes, long writeElapsedNanos, Map<String, Long> expectedWrites,
                        ArrivalRecorder recorder, MachineLoad load) {
    long[] latencies = new long[expectedWrites.size()];
    int delivered = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (Map.Entry<String, Long> event : expectedWrites.entrySet()) {
      Long arrival = recorder.arrivalNanos(event.getKey());
      if (arrival != null) {
        latencies[delivered++] = arrival - event.getValue();
        first = Math.min(first, arrival);
        last = Math.max(last, arrival);
      }
    }
    long[] sorted = Arrays.copyOf(latencies, delivered);
    Arrays.sort(sorted);
    return new PhaseResult(name, changes, changes * 1e9 / Math.max(1, writeElapsedNanos), expectedWrites.size(),
        sorted, first, last, load);
  }

  /** Whether every predicted event has arrived. */
  static boolean allArrived(Map<String, Long> expectedWrites, ArrivalRecorder recorder) {
    for (String id : expectedWrites.keySet()) {
      if (recorder.arrivalNanos(id) == null) {
        return false;
      }
    }
    return true;
  }

  String name() {
    return name;
  }

  int delivered() {
    return sortedLatencyNanos.length;
  }

  int missing() {
    return expected - delivered();
  }

  /** Events per second between the first and the last arrival (0 with fewer than two arrivals). */
  double deliveredPerSecond() {
    if (delivered() < 2 || lastArrivalNanos <= firstArrivalNanos) {
      return 0;
    }
    return (delivered() - 1) * 1e9 / (lastArrivalNanos - firstArrivalNanos);
  }

  /** The nearest-rank percentile of the latencies in milliseconds, or NaN when nothing arrived. */
  double latencyMillis(double percentile) {
    if (sortedLatencyNanos.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(percentile / 100.0 * sortedLatencyNanos.length);
    return sortedLatencyNanos[Math.max(0, Math.min(sortedLatencyNanos.length - 1, rank - 1))] / 1e6;
  }

  /** A one-paragraph report of the phase. */
  String describe(double ceilingPerSecond) {
    return String.format(
        "%s: %d changes written at %.0f/s -> %d events expected, %d delivered, %d missing%n"
            + "  delivered %.0f events/s (first to last arrival, %.2f s) = %.3f of the HTTP ceiling%n"
            + "  latency write->receiver ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n"
            + "  %s",
        name, changes, writesPerSecond, expected, delivered(), missing(), deliveredPerSecond(),
        (lastArrivalNanos - firstArrivalNanos) / 1e9, deliveredPerSecond() / ceilingPerSecond,
        latencyMillis(50), latencyMillis(90), latencyMillis(99), latencyMillis(100), load);
  }
}
