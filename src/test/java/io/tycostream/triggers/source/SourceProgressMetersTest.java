package io.tycostream.triggers.source;

import io.tycostream.triggers.metrics.ServiceMetrics;
import io.tycostream.triggers.testkit.ManualClock;
import io.tycostream.triggers.testkit.PrometheusText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies what a source's progress tells its meters: the lag (wall clock minus the last committed frontier, only
 * for wall-clock frontiers), the state, and reconnects counted only after a retry.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SourceProgressMetersTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  private final ServiceMetrics metrics = ServiceMetrics.prometheus();
  private final ManualClock clock = new ManualClock(NOW);

  @AfterEach
  void tearDown() {
    metrics.close();
  }

  /** Verifies that the lag is the wall clock minus the committed frontier, and grows while nothing commits. */
  @Test
  void lagIsWallClockMinusTheCommittedFrontier() {
    SourceProgress progress = new SourceProgress("orders", Duration.ofSeconds(30), clock, metrics.source("orders"),
        true);
    assertThat(lag()).isNaN();

    progress.committed(BigInteger.valueOf(NOW.toEpochMilli() - 2_500));
    assertThat(lag()).isEqualTo(2.5);

    clock.advance(Duration.ofSeconds(10));
    assertThat(lag()).isEqualTo(12.5);
  }

  /** Verifies that a source without wall-clock frontiers (the load generator) reports no lag. */
  @Test
  void logicalFrontiersHaveNoLag() {
    SourceProgress progress = new SourceProgress("orders", Duration.ofSeconds(30), clock, metrics.source("orders"),
        false);

    progress.committed(BigInteger.valueOf(NOW.toEpochMilli() - 1_000_000));

    assertThat(lag()).isNaN();
  }

  /** Verifies the state gauge, and that only a connection after a retry counts as a reconnect. */
  @Test
  void countsReconnectsAfterRetriesOnly() {
    SourceProgress progress = new SourceProgress("orders", Duration.ofSeconds(30), clock, metrics.source("orders"),
        true);

    progress.readerStatus(new SourceStatus("orders", SourceState.CONNECTED, null, null));
    progress.readerStatus(new SourceStatus("orders", SourceState.RETRYING, null, null));
    assertThat(scrape().value("tycostream_source_state", Map.of("source", "orders", "state", "retrying")))
        .contains(1.0);
    progress.readerStatus(new SourceStatus("orders", SourceState.CONNECTED, null, null));
    progress.readerStatus(new SourceStatus("orders", SourceState.CONNECTED, null, null));

    PrometheusText text = scrape();
    assertThat(text.value("tycostream_source_reconnects_total", Map.of("source", "orders"))).contains(1.0);
    assertThat(text.value("tycostream_source_state", Map.of("source", "orders", "state", "connected")))
        .contains(1.0);
  }

  private double lag() {
    return scrape().value("tycostream_source_lag_seconds", Map.of("source", "orders")).orElseThrow();
  }

  private PrometheusText scrape() {
    return PrometheusText.parse(metrics.scrape());
  }
}
