package io.tycostream.triggers.bench;

import java.util.Arrays;
import java.util.Map;

/**
 * The latency of a set of predicted events from their emulator commit to their first arrival at the receiver. An
 * event that never arrived counts as infinitely late: a percentile that falls among them is unknown ({@code null}),
 * never the percentile of the lucky ones. Immutable.
 */
final class LatencyStats {

  private final long[] sortedNanos;
  private final int expected;

  private LatencyStats(long[] sortedNanos, int expected) {
    this.sortedNanos = sortedNanos;
    this.expected = expected;
  }

  /** Matches every expected event (id to commit time) with its first arrival at {@code receiver}. */
  static LatencyStats of(Map<String, Long> expectedWrites, ArrivalRecorder receiver) {
    long[] latencies = new long[expectedWrites.size()];
    int delivered = 0;
    for (Map.Entry<String, Long> event : expectedWrites.entrySet()) {
      Long arrival = receiver.arrivalNanos(event.getKey());
      if (arrival != null) {
        latencies[delivered++] = arrival - event.getValue();
      }
    }
    long[] sorted = Arrays.copyOf(latencies, delivered);
    Arrays.sort(sorted);
    return new LatencyStats(sorted, expectedWrites.size());
  }

  int expected() {
    return expected;
  }

  int delivered() {
    return sortedNanos.length;
  }

  int missing() {
    return expected - delivered();
  }

  /**
   * The nearest-rank percentile in milliseconds over every expected event, or {@code null} when nothing was expected
   * or the rank falls among the events that never arrived.
   */
  Double millis(double percentile) {
    if (expected == 0) {
      return null;
    }
    int rank = Math.max(1, (int) Math.ceil(percentile / 100.0 * expected));
    return rank > sortedNanos.length ? null : sortedNanos[rank - 1] / 1e6;
  }
}
