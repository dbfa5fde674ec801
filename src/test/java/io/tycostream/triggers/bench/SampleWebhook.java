package io.tycostream.triggers.bench;

import java.nio.charset.StandardCharsets;

/**
 * A webhook body shaped like the service's for one row of the benchmark view (the documented payload: event id and
 * type, trigger name, send time, source timestamp, the row), written out here rather than by the service's encoder so
 * the HTTP ceiling does not depend on delivery internals. Pure.
 */
final class SampleWebhook {

  private SampleWebhook() {
  }

  static byte[] body(int noteLength) {
    return ("{\"event_id\":\"0123456789abcdef0123456789abcdef\",\"event_type\":\"FIRE\","
        + "\"trigger_name\":\"" + BenchmarkSuite.SINGLE_TRIGGER + "\",\"timestamp\":\"2026-12-01T08:00:00.123Z\","
        + "\"source_timestamp\":\"1764576000123\",\"data\":{\"id\":123,\"value\":150,\"note\":\""
        + "n".repeat(noteLength) + "\"}}").getBytes(StandardCharsets.UTF_8);
  }
}
