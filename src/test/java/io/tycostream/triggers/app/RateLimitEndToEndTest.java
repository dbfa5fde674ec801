package io.tycostream.triggers.app;

import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static io.tycostream.triggers.testkit.Blocking.pause;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.emulator.RowDiff;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rate_limit} over the wire emulator and a real receiver: a backlog of a limited trigger is delivered whole, at
 * the rate after the burst, in each key's order, while its state shows the backlog; an unlimited trigger posting to
 * the same URL (the same endpoint lane) is not slowed by it; a bad limit is a 400 naming the field.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RateLimitEndToEndTest {

  private static final int KEYS = 10;
  /** Per key: FIRE, CLEAR, FIRE. */
  private static final int LIMITED_EVENTS = 3 * KEYS;

  @TempDir
  Path dataDir;

  private EmulatedService service;

  @BeforeEach
  void setUp(Vertx vertx) {
    service = EmulatedService.start(vertx, dataDir, EmulatorColumn.of("id", PgType.INT4),
        EmulatorColumn.of("score", PgType.INT4));
  }

  @AfterEach
  void tearDown() {
    service.close();
  }

  /**
   * Verifies that 30 events of a trigger limited to 10 per second with a burst of 5 all arrive, none twice, spread
   * over at least about 2.5 s, each key's in order; that GET shows the backlog while they wait; and that another
   * trigger on the same URL gets its events through at once meanwhile.
   */
  @Test
  void deliversABacklogAtTheRateWithoutHoldingOthers() {
    // GIVEN a limited trigger and an unlimited one, both posting to the same URL
    create(trigger("limited", new JsonObject().put("_gte", 100))
        .put("rate_limit", new JsonObject().put("per_second", 10).put("burst", 5)));
    create(trigger("free", new JsonObject().put("_lte", -100)));
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/limited").getString("status"))
        && "active".equals(service.get("/api/v1/triggers/free").getString("status")));
    assertThat(service.get("/api/v1/triggers/limited").getJsonObject("rate_limit"))
        .isEqualTo(new JsonObject().put("per_second", 10).put("burst", 5));

    // WHEN 30 events of the limited trigger are committed within moments: each key fires, clears and fires again
    write(key -> RowDiff.insert(key, 150));
    write(key -> RowDiff.retract(key, 150), key -> RowDiff.insert(key, 50));
    write(key -> RowDiff.retract(key, 50), key -> RowDiff.insert(key, 200));

    // THEN while they are delivered, the trigger's state shows a backlog
    int mostPending = 0;
    int mostWaiting = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Instant freeWrittenAt = null;
    while (received("limited").size() < LIMITED_EVENTS && System.nanoTime() < deadline) {
      JsonObject state = service.get("/api/v1/triggers/limited");
      mostPending = Math.max(mostPending, state.getInteger("pending"));
      mostWaiting = Math.max(mostWaiting, state.getJsonObject("rate_limiter").getInteger("waiting"));
      if (freeWrittenAt == null && received("limited").size() >= 8) {
        // AND WHEN, in the middle of that backlog, the unlimited trigger fires for ten keys
        freeWrittenAt = Instant.now();
        writeFree();
      }
      pause(50);
    }
    assertThat(mostPending).as("most pending events seen").isGreaterThan(5);
    assertThat(mostWaiting).as("most events waiting for a token seen").isGreaterThan(0);

    // THEN every limited event arrived, once, spread by the rate: 5 at once, 25 more at 10 per second
    List<ReceivedWebhook> limited = received("limited");
    assertThat(limited).hasSize(LIMITED_EVENTS);
    assertThat(limited.stream().map(ReceivedWebhook::eventId).distinct()).hasSize(LIMITED_EVENTS);
    Duration spread = Duration.between(limited.get(0).receivedAt(), limited.get(LIMITED_EVENTS - 1).receivedAt());
    assertThat(spread).as("time from the first to the last limited webhook").isGreaterThan(Duration.ofMillis(2_300));
    // AND each key's events arrived in their order: FIRE, CLEAR, FIRE at rising source timestamps
    Map<Integer, List<ReceivedWebhook>> byKey = new HashMap<>();
    limited.forEach(webhook -> byKey.computeIfAbsent(webhook.json().getJsonObject("data").getInteger("id"),
        key -> new ArrayList<>()).add(webhook));
    assertThat(byKey).hasSize(KEYS);
    byKey.forEach((key, events) -> {
      assertThat(events).extracting(ReceivedWebhook::eventType).as("key " + key).containsExactly("FIRE", "CLEAR",
          "FIRE");
      assertThat(events).extracting(webhook -> new BigInteger(webhook.json().getString("source_timestamp")))
          .as("key " + key).isSorted();
    });

    // AND the unlimited trigger's events went through at once, while the limited backlog was still being sent
    assertThat(freeWrittenAt).isNotNull();
    awaitTrue(() -> received("free").size() == KEYS);
    List<ReceivedWebhook> free = received("free");
    Instant freeDone = free.get(KEYS - 1).receivedAt();
    // (no absolute latency bound: a loaded CI machine stalls for a second at times; the order below is the point)
    assertThat(freeDone).as("the unlimited trigger finished before the limited backlog")
        .isBefore(limited.get(LIMITED_EVENTS - 1).receivedAt());

    // AND once done, nothing waits
    awaitTrue(() -> service.get("/api/v1/triggers/limited").getInteger("pending") == 0);
    assertThat(service.get("/api/v1/triggers/limited").getJsonObject("rate_limiter").getInteger("waiting")).isZero();
    assertThat(service.get("/api/v1/triggers/limited").getInteger("delivered_total")).isEqualTo(LIMITED_EVENTS);
  }

  /**
   * Verifies that removing the limit with a PATCH while a backlog waits lets the rest go at once, in each key's order,
   * none lost.
   */
  @Test
  void removingTheLimitLetsTheBacklogGo() {
    // GIVEN a trigger limited to one webhook per second, with a backlog of 20
    create(trigger("limited", new JsonObject().put("_gte", 100))
        .put("rate_limit", new JsonObject().put("per_second", 1)));
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/limited").getString("status")));
    write(key -> RowDiff.insert(key, 150));
    write(key -> RowDiff.retract(key, 150), key -> RowDiff.insert(key, 50));
    awaitTrue(() -> received("limited").size() >= 2);
    assertThat(received("limited").size()).isLessThan(5);

    // WHEN the limit is removed
    HttpResponse<Buffer> patched = service.patch("/api/v1/triggers/limited", "{\"rate_limit\": null}");
    assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);
    assertThat(patched.bodyAsJsonObject().containsKey("rate_limit")).isFalse();
    Instant removedAt = Instant.now();

    // THEN the other events arrive within moments (one poll interval at most), each once, each key FIRE then CLEAR
    awaitTrue(() -> received("limited").size() >= 2 * KEYS);
    List<ReceivedWebhook> limited = received("limited");
    assertThat(Duration.between(removedAt, limited.get(limited.size() - 1).receivedAt()))
        .as("at one per second the rest would take %d s", 2 * KEYS - 2).isLessThan(Duration.ofMillis(5_000));
    assertThat(limited.stream().map(ReceivedWebhook::eventId).distinct()).hasSize(2 * KEYS);
    for (int key = 1; key <= KEYS; key++) {
      int id = key;
      assertThat(limited.stream().filter(webhook -> webhook.json().getJsonObject("data").getInteger("id") == id))
          .extracting(ReceivedWebhook::eventType).as("key " + key).containsExactly("FIRE", "CLEAR");
    }
  }

  /** Verifies that a bad rate limit is refused naming the field, at creation and in a PATCH. */
  @Test
  void refusesABadLimitNamingTheField() {
    HttpResponse<Buffer> refused = service.createWhenSourceReady(trigger("limited", new JsonObject().put("_gte", 100))
        .put("rate_limit", new JsonObject().put("per_second", 0)).encode());
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("rate_limit.per_second");

    create(trigger("limited", new JsonObject().put("_gte", 100)));
    HttpResponse<Buffer> patched = service.patch("/api/v1/triggers/limited",
        "{\"rate_limit\": {\"per_second\": 0.5, \"burst\": 0}}");
    assertThat(patched.statusCode()).isEqualTo(400);
    assertThat(patched.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("rate_limit.burst");

    HttpResponse<Buffer> limited = service.patch("/api/v1/triggers/limited", "{\"rate_limit\": {\"per_second\": 0.5}}");
    assertThat(limited.statusCode()).as(limited.bodyAsString()).isEqualTo(200);
    assertThat(limited.bodyAsJsonObject().getJsonObject("rate_limit"))
        .isEqualTo(new JsonObject().put("per_second", 0.5).put("burst", 1));
  }

  private void create(JsonObject trigger) {
    HttpResponse<Buffer> created = service.createWhenSourceReady(trigger.encode());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
  }

  private JsonObject trigger(String name, JsonObject scoreCondition) {
    return new JsonObject()
        .put("name", name)
        .put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", service.receiver.url("/hooks")))
        .put("fire", new JsonObject().put("score", scoreCondition));
  }

  /** One commit of the diffs each of the keys 1..10 gets from {@code perKey}. */
  @SafeVarargs
  private void write(java.util.function.IntFunction<RowDiff>... perKey) {
    List<RowDiff> diffs = new ArrayList<>();
    for (int key = 1; key <= KEYS; key++) {
      for (java.util.function.IntFunction<RowDiff> diff : perKey) {
        diffs.add(diff.apply(key));
      }
    }
    service.emulator.write(EmulatedService.SOURCE, nextTime(), diffs);
  }

  private void writeFree() {
    List<RowDiff> diffs = new ArrayList<>();
    for (int key = 101; key <= 100 + KEYS; key++) {
      diffs.add(RowDiff.insert(key, -150));
    }
    service.emulator.write(EmulatedService.SOURCE, nextTime(), diffs);
  }

  private long nextTime() {
    return Math.max(service.emulator.upper(EmulatedService.SOURCE), service.emulator.now()) + 1;
  }

  private List<ReceivedWebhook> received(String trigger) {
    return service.receiver.received().stream()
        .filter(webhook -> trigger.equals(webhook.json().getString("trigger_name")))
        .toList();
  }
}
