package io.tycostream.triggers.metrics;

import io.tycostream.triggers.testkit.PrometheusText;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.testkit.Blocking.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the meters' names and labels as Prometheus reads them, that Vert.x built with the service's factory
 * records its pools into the same registry, that deleted triggers' series end, and that disabled metrics render
 * nothing.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServiceMetricsTest {

  /** Verifies the Prometheus names, types and labels of a source's and a trigger's meters. */
  @Test
  void rendersPrometheusNamesAndLabels() {
    ServiceMetrics metrics = ServiceMetrics.prometheus();
    try {
      // GIVEN a source and a trigger that recorded a commit, a fire, an attempt and a breaker
      SourceMeters source = metrics.source("orders");
      source.track(List.of("CONNECTED", "RETRYING"), () -> "CONNECTED", () -> 1.5);
      source.committed(2, 10, 3_000_000);
      source.trigger("big").fired();
      metrics.delivery().attempt("big", AttemptClass.ofStatus(503), 20_000_000);
      metrics.delivery().observe(1, 4, Map.of("https://hooks.example:443", "open"));

      // WHEN it is scraped
      PrometheusText text = PrometheusText.parse(metrics.scrape());

      // THEN names follow the conventions (_total, _seconds) and carry the bounded labels
      assertThat(text.value("tycostream_source_batches_total", Map.of("source", "orders"))).contains(2.0);
      assertThat(text.value("tycostream_source_changes_total", Map.of("source", "orders"))).contains(10.0);
      assertThat(text.value("tycostream_source_commit_seconds_bucket", Map.of("source", "orders", "le", "0.005")))
          .contains(1.0);
      assertThat(text.value("tycostream_source_lag_seconds", Map.of("source", "orders"))).contains(1.5);
      assertThat(text.value("tycostream_source_state", Map.of("source", "orders", "state", "connected")))
          .contains(1.0);
      assertThat(text.value("tycostream_trigger_fires_total", Map.of("trigger", "big"))).contains(1.0);
      assertThat(text.value("tycostream_delivery_attempts_total", Map.of("trigger", "big", "outcome", "5xx")))
          .contains(1.0);
      assertThat(text.find("tycostream_delivery_attempts_total", Map.of("trigger", "big")))
          .hasSize(AttemptClass.values().length);
      assertThat(text.value("tycostream_delivery_attempt_seconds_bucket", Map.of("trigger", "big", "le", "0.025")))
          .contains(1.0);
      assertThat(text.value("tycostream_delivery_breaker_state",
          Map.of("endpoint", "https://hooks.example:443", "state", "open"))).contains(1.0);
      assertThat(text.value("tycostream_delivery_in_flight", Map.of())).contains(1.0);
      assertThat(text.value("tycostream_delivery_waiting_events", Map.of())).contains(4.0);
    } finally {
      metrics.close();
    }
  }

  /** Verifies that a deleted trigger's series end, and that an endpoint whose lane went idle reads closed. */
  @Test
  void forgetsDeletedTriggersAndClosesIdleBreakers() {
    ServiceMetrics metrics = ServiceMetrics.prometheus();
    try {
      metrics.trigger("gone").fired();
      metrics.delivery().attempt("gone", AttemptClass.STATUS_2XX, 1_000_000);
      metrics.triggerLevels().update(Map.of("gone", new TriggerLevels.Level(1, 2, 3, 1)), System.currentTimeMillis());
      metrics.delivery().observe(0, 0, Map.of("http://a:80", "half_open"));
      metrics.delivery().observe(0, 0, Map.of());

      metrics.forgetTriggers(java.util.Set.of("gone"));

      PrometheusText text = PrometheusText.parse(metrics.scrape());
      assertThat(text.samples()).noneMatch(sample -> "gone".equals(sample.labels().get("trigger")));
      assertThat(text.value("tycostream_delivery_breaker_state", Map.of("endpoint", "http://a:80", "state", "closed")))
          .contains(1.0);
    } finally {
      metrics.close();
    }
  }

  /** Verifies that Vert.x built with {@link ServiceMetrics#vertxMetricsFactory()} records into the same registry. */
  @Test
  void vertxRecordsItsPoolsIntoTheSameRegistry() {
    ServiceMetrics metrics = ServiceMetrics.prometheus();
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metrics.vertxMetricsOptions()))
        .withMetrics(metrics.vertxMetricsFactory())
        .build();
    try {
      await(vertx.executeBlocking(() -> "done"));
      await(vertx.eventBus().consumer("source.status.orders", message -> message.reply("up")).completion());
      await(vertx.eventBus().request("source.status.orders", "ping"));

      PrometheusText text = PrometheusText.parse(metrics.scrape());
      assertThat(text.value("vertx_eventbus_handlers", Map.of("address", "source.status.orders"))).contains(1.0);
      assertThat(text.samples()).noneMatch(sample -> sample.labels().getOrDefault("address", "")
          .startsWith("__vertx."));

      assertThat(text.samples()).anyMatch(sample -> sample.name().startsWith("vertx_pool_"));
      assertThat(text.samples()).anyMatch(sample -> sample.name().startsWith("jvm_"));
    } finally {
      await(vertx.close());
      metrics.close();
    }
  }

  /** Verifies that disabled metrics accept recordings and render nothing. */
  @Test
  void disabledMetricsRenderNothing() {
    ServiceMetrics metrics = ServiceMetrics.disabled();
    metrics.source("orders").committed(1, 1, 1);
    metrics.delivery().attempt("t", AttemptClass.TIMEOUT, 1);

    assertThat(metrics.enabled()).isFalse();
    assertThat(metrics.scrape()).isEmpty();
  }
}
