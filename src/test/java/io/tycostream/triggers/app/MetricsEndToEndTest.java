package io.tycostream.triggers.app;

import io.tycostream.triggers.config.MetricsConfig;
import io.tycostream.triggers.delivery.RetryPolicy;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.testkit.PrometheusText;
import io.tycostream.triggers.testkit.TestApiKeys;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies {@code GET /metrics} (#12 item 1) the way an operator's Prometheus sees it: the service runs against the
 * Materialize wire emulator with a real receiver, and the test scrapes the admin port over HTTP during the run and
 * reads the text format — the trigger's fires and deliveries, the attempt latency histogram's buckets, the source's
 * state, lag and commits, the store-sampled levels, and, with a failing receiver, attempts by outcome class, the
 * endpoint's open breaker and the retry queue depth.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsEndToEndTest {

  private static final String SOURCE = EmulatedService.SOURCE;

  @TempDir
  Path dataDir;

  private EmulatedService service;
  private WebClient scraper;

  @AfterEach
  void tearDown() {
    if (scraper != null) {
      scraper.close();
    }
    if (service != null) {
      service.close();
    }
  }

  /** Verifies that a scrape during a run shows non-zero fires, deliveries and latency buckets for the trigger. */
  @Test
  void scrapeDuringARunShowsFiresDeliveriesAndLatencyBuckets(Vertx vertx) {
    // GIVEN the service with metrics sampled from the store every 500 ms, and a trigger
    start(vertx, MetricsConfig.DEFAULT_REQUIRE_AUTH, RetryPolicy.defaults());
    assertThat(service.createWhenSourceReady(trigger("hot")).statusCode()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/hot").getString("status")));

    // WHEN three keys start matching and one that does not match is written
    service.emulator.insert(SOURCE, 1, 150);
    service.emulator.insert(SOURCE, 2, 250);
    service.emulator.insert(SOURCE, 3, 350);
    service.emulator.insert(SOURCE, 4, 5);
    awaitTrue(() -> service.receiver.received().size() >= 3);

    // THEN an unauthenticated scrape (the default) shows them, once delivery recorded the outcomes
    Map<String, String> hot = Map.of("trigger", "hot");
    PrometheusText scrape = scrapeUntil(text -> text.valueOrZero("tycostream_trigger_delivered_total", hot) >= 3
        && text.value("tycostream_trigger_matched_keys", hot).orElse(0.0) == 3);
    assertThat(scrape.value("tycostream_trigger_fires_total", hot)).contains(3.0);
    assertThat(scrape.value("tycostream_trigger_clears_total", hot)).contains(0.0);
    assertThat(scrape.value("tycostream_trigger_pending_events", hot)).contains(0.0);
    assertThat(scrape.value("tycostream_trigger_dead_events", hot)).contains(0.0);
    assertThat(scrape.value("tycostream_delivery_retry_queue_events", hot)).contains(0.0);
    assertThat(scrape.type("tycostream_trigger_fires_total")).contains("counter");
    // AND the attempts, by outcome class, with a latency histogram whose buckets counted them
    assertThat(scrape.value("tycostream_delivery_attempts_total", Map.of("trigger", "hot", "outcome", "2xx")))
        .contains(3.0);
    assertThat(scrape.value("tycostream_delivery_attempts_total", Map.of("trigger", "hot", "outcome", "5xx")))
        .contains(0.0);
    assertThat(scrape.type("tycostream_delivery_attempt_seconds")).contains("histogram");
    assertThat(scrape.value("tycostream_delivery_attempt_seconds_count", hot)).contains(3.0);
    assertThat(scrape.value("tycostream_delivery_attempt_seconds_bucket", Map.of("trigger", "hot", "le", "+Inf")))
        .contains(3.0);
    assertThat(scrape.find("tycostream_delivery_attempt_seconds_bucket", hot))
        .as("a finite bucket (a loopback answer takes well under a minute) counted every attempt")
        .anySatisfy(bucket -> {
          assertThat(bucket.labels().get("le")).isNotEqualTo("+Inf");
          assertThat(bucket.value()).isEqualTo(3.0);
        });
    // AND the source: connected, committing, its lag a number of seconds, every change counted
    Map<String, String> scores = Map.of("source", SOURCE);
    assertThat(scrape.value("tycostream_source_state", Map.of("source", SOURCE, "state", "connected")))
        .contains(1.0);
    assertThat(scrape.value("tycostream_source_state", Map.of("source", SOURCE, "state", "retrying")))
        .contains(0.0);
    assertThat(scrape.value("tycostream_source_changes_total", scores).orElseThrow()).isGreaterThanOrEqualTo(4);
    assertThat(scrape.value("tycostream_source_batches_total", scores).orElseThrow()).isPositive();
    assertThat(scrape.value("tycostream_source_commit_seconds_count", scores).orElseThrow()).isPositive();
    assertThat(scrape.value("tycostream_source_lag_seconds", scores).orElseThrow()).isBetween(-5.0, 30.0);
    assertThat(scrape.value("tycostream_source_reconnects_total", scores)).contains(0.0);
    // AND the JVM's meters, and no label carries an event id or a key
    assertThat(scrape.find("jvm_memory_used_bytes", Map.of())).isNotEmpty();
    assertThat(scrape.samples()).allSatisfy(sample -> assertThat(sample.labels().keySet())
        .doesNotContain("event_id", "key", "event"));
  }

  /** Verifies that a failing receiver shows in the attempts by outcome class and in its endpoint's breaker. */
  @Test
  void failingReceiverShowsInAttemptsByOutcomeAndBreakerState(Vertx vertx) {
    // GIVEN a receiver answering 500 and quick retries (the breaker opens after 5 failures in a row)
    start(vertx, MetricsConfig.DEFAULT_REQUIRE_AUTH,
        RetryPolicy.exponentialBackoff(Duration.ofMillis(50), 2.0, Duration.ofMillis(100), 50));
    service.receiver.respondWith(() -> 500);
    assertThat(service.createWhenSourceReady(trigger("down")).statusCode()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/down").getString("status")));

    // WHEN two keys fire
    service.emulator.insert(SOURCE, 1, 150);
    service.emulator.insert(SOURCE, 2, 250);

    // THEN the scrape shows 5xx attempts, the endpoint's breaker open, and events held back by it
    String endpoint = "http://127.0.0.1:" + service.receiver.port();
    Map<String, String> open = Map.of("endpoint", endpoint, "state", "open");
    PrometheusText scrape = scrapeUntil(text -> text.valueOrZero("tycostream_delivery_breaker_state", open) == 1
        && text.valueOrZero("tycostream_delivery_attempts_total",
            Map.of("trigger", "down", "outcome", "circuit_open")) > 0);
    assertThat(scrape.value("tycostream_delivery_attempts_total", Map.of("trigger", "down", "outcome", "5xx"))
        .orElseThrow()).isGreaterThanOrEqualTo(5);
    assertThat(scrape.value("tycostream_delivery_attempts_total", Map.of("trigger", "down", "outcome", "2xx")))
        .contains(0.0);
    assertThat(scrape.value("tycostream_delivery_breaker_state", Map.of("endpoint", endpoint, "state", "closed")))
        .contains(0.0);
    assertThat(scrape.value("tycostream_trigger_delivered_total", Map.of("trigger", "down"))).contains(0.0);
    assertThat(scrape.value("tycostream_trigger_fires_total", Map.of("trigger", "down"))).contains(2.0);
  }

  /**
   * Verifies that events failing against their receiver show in the retry queue depth while they wait for their
   * retries, and leave it once the receiver recovers and they are delivered.
   */
  @Test
  void failingDeliveriesShowInTheRetryQueueUntilDelivered(Vertx vertx) {
    // GIVEN a receiver answering 503, a retry policy that keeps retrying (well below dead-lettering), and a breaker
    // that stays closed (so that recovery does not wait for its reset timeout)
    service = EmulatedService.start(vertx, dataDir,
        config -> config.withMetrics(new MetricsConfig(true, false, MetricsConfig.MIN_STORE_SAMPLE_MS)),
        application -> application.deliveryOptions()
            .setRetryPolicy(RetryPolicy.exponentialBackoff(Duration.ofMillis(100), 2.0, Duration.ofMillis(400),
                10_000))
            .setBreakerMaxFailures(1_000_000),
        EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("score", PgType.INT4));
    scraper = scraperFor(vertx);
    service.receiver.respondWith(() -> 503);
    assertThat(service.createWhenSourceReady(trigger("flaky")).statusCode()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/flaky").getString("status")));
    Map<String, String> flaky = Map.of("trigger", "flaky");

    // WHEN two keys fire and their first attempts fail
    service.emulator.insert(SOURCE, 1, 150);
    service.emulator.insert(SOURCE, 2, 250);

    // THEN the store-sampled retry queue holds both events, which are also pending and not dead
    PrometheusText waiting = scrapeUntil(text -> text.valueOrZero("tycostream_delivery_retry_queue_events", flaky)
        == 2);
    assertThat(waiting.value("tycostream_trigger_pending_events", flaky)).contains(2.0);
    assertThat(waiting.value("tycostream_trigger_dead_events", flaky)).contains(0.0);
    assertThat(waiting.value("tycostream_trigger_delivered_total", flaky)).contains(0.0);
    assertThat(waiting.type("tycostream_delivery_retry_queue_events")).contains("gauge");

    // WHEN the receiver recovers
    service.receiver.respondWith(() -> 204);

    // THEN both are delivered by a retry and the retry queue is empty again
    PrometheusText drained = scrapeUntil(text -> text.valueOrZero("tycostream_trigger_delivered_total", flaky) == 2
        && text.value("tycostream_delivery_retry_queue_events", flaky).orElse(-1.0) == 0);
    assertThat(drained.value("tycostream_trigger_pending_events", flaky)).contains(0.0);
    assertThat(drained.value("tycostream_delivery_attempts_total", Map.of("trigger", "flaky", "outcome", "5xx"))
        .orElseThrow()).isGreaterThanOrEqualTo(2);
  }

  /**
   * Verifies that an outage shows as the source's state while it lasts, and as a reconnect and a reconciled gap once
   * history compacted meanwhile was replaced by a snapshot.
   */
  @Test
  void outageShowsAsStateReconnectAndGap(Vertx vertx) {
    // GIVEN a trigger that has fired on a streaming source
    start(vertx, MetricsConfig.DEFAULT_REQUIRE_AUTH, RetryPolicy.defaults());
    assertThat(service.createWhenSourceReady(trigger("gap")).statusCode()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/gap").getString("status")));
    service.emulator.insert(SOURCE, 1, 150);
    awaitTrue(() -> service.receiver.received().size() == 1);
    Map<String, String> scores = Map.of("source", SOURCE);

    // WHEN Materialize becomes unreachable
    await(service.emulator.stopListening());

    // THEN the scrape shows the source retrying
    scrapeUntil(text -> text.valueOrZero("tycostream_source_state", Map.of("source", SOURCE, "state", "retrying"))
        == 1);

    // WHEN the view changes and its history is compacted past the checkpoint meanwhile, and Materialize comes back
    service.emulator.insert(SOURCE, 2, 300);
    service.emulator.compact(SOURCE, service.emulator.now());
    await(service.emulator.resumeListening());

    // THEN one reconnect and one reconciled gap are counted, and the missed row's FIRE too
    PrometheusText scrape = scrapeUntil(text -> text.valueOrZero("tycostream_source_gaps_total", scores) == 1
        && text.valueOrZero("tycostream_trigger_fires_total", Map.of("trigger", "gap")) == 2);
    assertThat(scrape.value("tycostream_source_reconnects_total", scores).orElseThrow()).isGreaterThanOrEqualTo(1);
    assertThat(scrape.value("tycostream_source_state", Map.of("source", SOURCE, "state", "connected")))
        .contains(1.0);
  }

  /** Verifies that with {@code metrics.require_auth} a scrape needs an API key, and that one with a key is served. */
  @Test
  void requireAuthAsksScrapesForAnApiKey(Vertx vertx) {
    start(vertx, true, RetryPolicy.defaults());

    HttpResponse<Buffer> anonymous = await(scraper.get("/metrics").send());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("unauthenticated");

    HttpResponse<Buffer> authorized = await(scraper.get("/metrics")
        .putHeader("authorization", TestApiKeys.AUTHORIZATION).send());
    assertThat(authorized.statusCode()).isEqualTo(200);
    assertThat(authorized.getHeader("content-type")).startsWith("text/plain; version=0.0.4");
    assertThat(PrometheusText.parse(authorized.bodyAsString()).find("tycostream_source_state", Map.of()))
        .isNotEmpty();
  }

  /** Verifies that {@code metrics.enabled: false} serves no {@code /metrics}. */
  @Test
  void disabledMetricsServeNoEndpoint(Vertx vertx) {
    service = EmulatedService.start(vertx, dataDir,
        config -> config.withMetrics(new MetricsConfig(false, false, MetricsConfig.DEFAULT_STORE_SAMPLE_MS)),
        EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("score", PgType.INT4));
    scraper = WebClient.create(vertx);

    HttpResponse<Buffer> response = await(scraper.get(service.application.adminPort(), "127.0.0.1", "/metrics")
        .send());
    assertThat(response.statusCode()).isEqualTo(404);
  }

  private void start(Vertx vertx, boolean requireAuth, RetryPolicy retries) {
    service = EmulatedService.start(vertx, dataDir,
        config -> config.withMetrics(new MetricsConfig(true, requireAuth, MetricsConfig.MIN_STORE_SAMPLE_MS)),
        application -> application.deliveryOptions().setRetryPolicy(retries),
        EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("score", PgType.INT4));
    scraper = scraperFor(vertx);
  }

  private WebClient scraperFor(Vertx vertx) {
    return WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(service.application.adminPort()));
  }

  /** Scrapes (without a key) until {@code done} holds for the parsed text; bounded by the default wait. */
  private PrometheusText scrapeUntil(Predicate<PrometheusText> done) {
    AtomicReference<PrometheusText> last = new AtomicReference<>();
    AtomicReference<String> lastText = new AtomicReference<>();
    try {
      awaitTrue(() -> {
        HttpResponse<Buffer> response = await(scraper.get("/metrics").send());
        assertThat(response.statusCode()).isEqualTo(200);
        lastText.set(response.bodyAsString());
        last.set(PrometheusText.parse(response.bodyAsString()));
        return done.test(last.get());
      });
    } catch (AssertionError timedOut) {
      throw new AssertionError(timedOut.getMessage() + "; last scrape: " + (last.get() == null ? "none"
          : last.get().samples().stream().filter(sample -> sample.name().startsWith("tycostream_")).toList()),
          timedOut);
    }
    keep(lastText.get());
    return last.get();
  }

  /** Keeps the scrape under target/ for a reader of the build (what the dashboard's queries run against). */
  private static void keep(String scrape) {
    try {
      Path kept = Path.of("target", "metrics-scrape.txt");
      Files.createDirectories(kept.getParent());
      Files.writeString(kept, scrape, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String trigger(String name) {
    return new JsonObject()
        .put("name", name)
        .put("source", SOURCE)
        .put("webhook", new JsonObject().put("url", service.receiver.url("/" + name)))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100)))
        .encode();
  }
}
