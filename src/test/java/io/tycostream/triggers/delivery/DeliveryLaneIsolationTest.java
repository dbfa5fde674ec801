package io.tycostream.triggers.delivery;

import static io.tycostream.triggers.delivery.DeliveryFixture.await;
import static io.tycostream.triggers.delivery.DeliveryFixture.awaitCondition;
import static io.tycostream.triggers.delivery.DeliveryFixture.loopbackOptions;
import static io.tycostream.triggers.delivery.DeliveryFixture.quickRetries;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.tycostream.triggers.testkit.StallingWebhookReceiver;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that a webhook URL in trouble cannot hold up another one: a hanging receiver takes at most its own
 * in-flight slots, so a healthy receiver's latency stays within twice its baseline; and a failing path of one origin
 * opens only its own circuit, so another path of the same host and port keeps receiving.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryLaneIsolationTest {

  private static final String DATA = "{\"account\":\"A-7\",\"net_position\":10250.5}";
  private static final int SAMPLES = 40;
  private static final long PACE_MS = 25;
  /** Below this, a p90 on a loaded 2-core machine is scheduling noise: the bound is twice this at least. */
  private static final long NOISE_FLOOR_MS = 25;

  @TempDir
  Path dir;

  private DeliveryFixture fixture;
  private WebhookReceiver healthy;
  private StallingWebhookReceiver hanging;
  private HttpServer sharedOrigin;
  private final Map<String, Instant> committedAt = new HashMap<>();
  private final AtomicInteger ids = new AtomicInteger();

  @BeforeEach
  void setUp(Vertx vertx) {
    fixture = DeliveryFixture.open(vertx, dir);
  }

  @AfterEach
  void tearDown() {
    fixture.close();
    if (healthy != null) {
      await(healthy.stop());
    }
    if (hanging != null) {
      await(hanging.stop());
    }
    if (sharedOrigin != null) {
      await(sharedOrigin.close());
    }
  }

  /** Verifies that a receiver holding every request does not push another trigger's p90 beyond twice its baseline. */
  @Test
  void aHangingEndpointLeavesAHealthyOnesLatencyAlone(Vertx vertx) {
    // GIVEN a healthy receiver and one that holds every request, each with a trigger, and 16 slots of which one
    // endpoint may take 4
    healthy = await(WebhookReceiver.start(vertx));
    hanging = await(StallingWebhookReceiver.start(vertx, Integer.MAX_VALUE));
    fixture.createTrigger("healthy", healthy.url("/hooks"));
    fixture.createTrigger("hung", hanging.url("/hooks"));
    fixture.deploy(loopbackOptions(quickRetries(3))
      .setMaxInFlight(16)
      .setMaxInFlightPerEndpoint(4)
      .setRequestTimeout(Duration.ofSeconds(20))
      .setLease(Duration.ofSeconds(30)));
    // warm-up, so the baseline does not measure class loading and the first connections
    List<String> warmUp = commitHealthy(SAMPLES, false);
    awaitCondition("the warm-up is delivered", () -> healthy.received().size() == warmUp.size());
    List<String> baselineIds = commitHealthy(SAMPLES, false);
    awaitCondition("the baseline is delivered", () -> healthy.received().size() == warmUp.size() + SAMPLES);
    long baseline = p90LatencyMs(baselineIds);

    // WHEN the other trigger's events pile up at the hanging receiver while the healthy trigger keeps its pace
    List<String> measuredIds = commitHealthy(SAMPLES, true);

    // THEN the hanging receiver holds only its share of the slots, and the healthy p90 stays within twice the baseline
    awaitCondition("the healthy events are delivered",
      () -> healthy.received().size() == warmUp.size() + 2 * SAMPLES);
    long withHang = p90LatencyMs(measuredIds);
    System.out.printf("healthy p90 [baseline: %d ms, with a hanging endpoint: %d ms]%n", baseline, withHang);
    assertThat(hanging.requestCount()).as("requests open at the hanging receiver").isEqualTo(4);
    assertThat(withHang).as("healthy p90 with a hanging endpoint, baseline p90 %d ms", baseline)
      .isLessThanOrEqualTo(2 * Math.max(baseline, NOISE_FLOOR_MS));
  }

  /** Verifies that a path answering 500 opens its own circuit only: another path of the same origin keeps flowing. */
  @Test
  void aFailingPathDoesNotHoldBackAnotherPathOfTheSameOrigin(Vertx vertx) {
    // GIVEN one receiver that fails every request to /fail and accepts /ok, a trigger on each path, and a circuit that
    // opens after 3 failures and stays open far longer than the test
    AtomicInteger failed = new AtomicInteger();
    sharedOrigin = await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
      .requestHandler(request -> request.body().onSuccess(body -> {
        boolean fail = request.path().equals("/fail");
        if (fail) {
          failed.incrementAndGet();
        }
        request.response().setStatusCode(fail ? 500 : 204).end();
      }))
      .listen());
    String origin = "http://127.0.0.1:" + sharedOrigin.actualPort();
    fixture.createTrigger("failing", origin + "/fail");
    fixture.createTrigger("working", origin + "/ok");
    fixture.deploy(loopbackOptions(quickRetries(20))
      .setBreakerMaxFailures(3)
      .setBreakerResetTimeout(Duration.ofSeconds(30)));

    // WHEN the failing path's circuit has opened
    for (int i = 0; i < 5; i++) {
      fixture.commit(List.of(event(eventId("f"), "failing")));
    }
    awaitCondition("the failing path saw its circuit's worth of failures", () -> failed.get() >= 3);
    DeliveryFixture.pause(300);
    int requestsToFailing = failed.get();
    // AND both triggers' events keep arriving, interleaved
    List<String> working = new ArrayList<>();
    List<String> failing = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String fail = eventId("f");
      String ok = eventId("w");
      failing.add(fail);
      working.add(ok);
      fixture.commit(List.of(event(fail, "failing"), event(ok, "working")));
    }

    // THEN every event of the working path is delivered by its first and only attempt
    awaitCondition("the working path's events are delivered",
      () -> working.stream().allMatch(id -> fixture.event(id).status() == EventStatus.DELIVERED));
    assertThat(working).allSatisfy(id -> assertThat(fixture.event(id).attempts()).isEqualTo(1));
    // AND the failing path's circuit stayed open: no request reached it; its events spend their retry budget with
    // attempts counted without a request (issue #10: a down endpoint dead-letters on schedule)
    assertThat(failed.get()).isEqualTo(requestsToFailing);
    assertThat(failing).allSatisfy(id -> assertThat(fixture.attempts(id))
      .allSatisfy(attempt -> {
        assertThat(attempt.error()).isEqualTo(EventDelivery.CIRCUIT_OPEN);
        assertThat(attempt.httpStatus()).isNull();
      }));
  }

  /** Commits {@code count} healthy events one by one at a steady pace, each with a hung one if asked. */
  private List<String> commitHealthy(int count, boolean withHung) {
    List<String> committed = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = eventId("h");
      List<NewEvent> events = new ArrayList<>();
      events.add(event(id, "healthy"));
      if (withHung) {
        events.add(event(eventId("x"), "hung"));
        events.add(event(eventId("x"), "hung"));
      }
      fixture.commit(events);
      committedAt.put(id, Instant.now());
      committed.add(id);
      DeliveryFixture.pause(PACE_MS);
    }
    return committed;
  }

  private long p90LatencyMs(List<String> eventIds) {
    Map<String, Instant> arrivals = new HashMap<>();
    for (ReceivedWebhook webhook : healthy.received()) {
      arrivals.put(webhook.eventId(), webhook.receivedAt());
    }
    List<Long> latencies = new ArrayList<>();
    for (String id : eventIds) {
      latencies.add(Math.max(0, Duration.between(committedAt.get(id), arrivals.get(id)).toMillis()));
    }
    latencies.sort(null);
    return latencies.get((int) Math.ceil(latencies.size() * 0.9) - 1);
  }

  private String eventId(String prefix) {
    return String.format("%s%031d", prefix, ids.incrementAndGet());
  }

  private static NewEvent event(String id, String trigger) {
    return new NewEvent(id, trigger, "FIRE", DeliveryFixture.SOURCE_TIMESTAMP, "[\"" + id + "\"]", DATA);
  }
}
