package io.tycostream.triggers.app;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static io.tycostream.triggers.testkit.Blocking.pause;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.delivery.RetryPolicy;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.emulator.RowDiff;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ordering: per_key} over the wire emulator and a real receiver that fails chosen events: a key's later event
 * is not sent until its earlier one was delivered (through its retries) or dead-lettered, also across a restart of the
 * service, while other keys keep flowing.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PerKeyOrderingEndToEndTest {

  private static final int A = 1;
  private static final int B = 2;
  private static final int C = 3;

  @TempDir
  Path dataDir;

  private EmulatedService service;
  private HttpServer receiver;
  /** Every request the receiver got, in arrival order. */
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  /** The event id of each key's first request, set when it arrives (before it is answered). */
  private final java.util.Map<Integer, String> firstEvents = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Predicate<Request> fails = request -> false;

  /** One request: what it carried and whether it was answered with a 2xx. */
  record Request(String eventId, int key, String type, boolean delivered) {
  }

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
    if (receiver != null) {
      await(receiver.close());
    }
  }

  /**
   * Verifies that A's second event is requested only after A's first was delivered through two failed attempts,
   * while B's events arrive meanwhile; and that dead-lettering C's first event releases C's second.
   */
  @Test
  void aKeysLaterEventWaitsForItsEarlierOneThroughRetriesAndDeadLetters(Vertx vertx) {
    // GIVEN a per-key ordered trigger, six attempts 100 to 200 ms apart, and a receiver that fails A's first event
    // until it was tried twice and both of B's events arrived, and C's first event always
    start(vertx, RetryPolicy.exponentialBackoff(Duration.ofMillis(100), 2.0, Duration.ofMillis(200), 6));
    fails = request -> {
      if (request.key() == A && request.eventId().equals(firstEventOf(A))) {
        return attemptsOf(request.eventId()) < 2 || deliveredOf(B) < 2;
      }
      return request.key() == C && request.eventId().equals(firstEventOf(C));
    };
    create(vertx);

    // WHEN A, B and C fire, then clear
    write(key -> RowDiff.insert(key, 150));
    write(key -> RowDiff.retract(key, 150), key -> RowDiff.insert(key, 50));

    // THEN all of A's and B's events and C's second are delivered, C's first is dead-lettered
    awaitTrue(() -> deliveredOf(A) == 2 && deliveredOf(B) == 2 && deliveredOf(C) == 1, Duration.ofSeconds(30));
    awaitTrue(() -> service.get("/api/v1/triggers/ordered").getInteger("dead") == 1);
    // AND A's second was first requested after A's first was delivered, which took two failed attempts
    String a1 = firstEventOf(A);
    assertThat(requests.stream().filter(request -> request.eventId().equals(a1)))
        .extracting(Request::delivered).containsExactly(false, false, true);
    assertThat(firstRequestOfSecondEvent(A)).isGreaterThan(lastRequestOf(a1));
    assertThat(typesDelivered(A)).containsExactly("FIRE", "CLEAR");
    // AND B's events came while A's first was still failing, in their order
    assertThat(lastDeliveryOf(B)).isLessThan(lastRequestOf(a1));
    assertThat(typesDelivered(B)).containsExactly("FIRE", "CLEAR");
    // AND C's second was requested only after C's first had its six attempts and was dead-lettered
    String c1 = firstEventOf(C);
    assertThat(requests.stream().filter(request -> request.eventId().equals(c1))).hasSize(6)
        .noneMatch(Request::delivered);
    assertThat(firstRequestOfSecondEvent(C)).isGreaterThan(lastRequestOf(c1));
    assertThat(typesDelivered(C)).containsExactly("CLEAR");
  }

  /**
   * Verifies that the order holds across a restart: A's second event, committed while A's first waits for a retry,
   * is not sent before the restart, nor after it while A's first fails once more, only after A's first is delivered.
   */
  @Test
  void theOrderHoldsAcrossARestart(Vertx vertx) {
    // GIVEN a per-key ordered trigger with retries 0.3 to 1.2 s apart and a receiver that fails A's first event
    // three times
    start(vertx, RetryPolicy.exponentialBackoff(Duration.ofMillis(600), 2.0, Duration.ofMillis(1_200), 10));
    fails = request -> request.key() == A && request.eventId().equals(firstEventOf(A))
        && attemptsOf(request.eventId()) < 3;
    create(vertx);

    // WHEN A fires, fails once, then clears (B too, as a control)
    write(key -> RowDiff.insert(key, 150));
    awaitTrue(() -> attemptsOf(firstEventOf(A)) >= 1 && deliveredOf(B) == 1);
    write(key -> RowDiff.retract(key, 150), key -> RowDiff.insert(key, 50));
    awaitTrue(() -> deliveredOf(B) == 2);

    // AND the service restarts while A's first waits for its retry
    service.restartApplication();

    // THEN A's first is delivered after its third failure, and only then is A's second sent
    awaitTrue(() -> deliveredOf(A) == 2, Duration.ofSeconds(30));
    String a1 = firstEventOf(A);
    assertThat(requests.stream().filter(request -> request.eventId().equals(a1)))
        .extracting(Request::delivered).containsExactly(false, false, false, true);
    assertThat(firstRequestOfSecondEvent(A)).isGreaterThan(lastRequestOf(a1));
    assertThat(typesDelivered(A)).containsExactly("FIRE", "CLEAR");
  }

  private void start(Vertx vertx, RetryPolicy retries) {
    receiver = await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(http -> http.body().onSuccess(body -> {
          JsonObject webhook = body.toJsonObject();
          Request seen = new Request(webhook.getString("event_id"), webhook.getJsonObject("data").getInteger("id"),
              webhook.getString("event_type"), true);
          firstEvents.putIfAbsent(seen.key(), seen.eventId());
          boolean failed = fails.test(seen);
          requests.add(failed ? new Request(seen.eventId(), seen.key(), seen.type(), false) : seen);
          http.response().setStatusCode(failed ? 503 : 204).end();
        }))
        .listen());
    service = EmulatedService.start(vertx, dataDir, UnaryOperator.identity(),
        application -> application.deliveryOptions().setRetryPolicy(retries),
        EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("score", PgType.INT4));
  }

  private void create(Vertx vertx) {
    HttpResponse<Buffer> created = service.createWhenSourceReady(new JsonObject()
        .put("name", "ordered")
        .put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", "http://127.0.0.1:" + receiver.actualPort() + "/ordered"))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100)))
        .put("ordering", "per_key")
        .encode());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getString("ordering")).isEqualTo("per_key");
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/ordered").getString("status")));
  }

  /** One commit of the diffs each of the keys A, B, C gets from {@code perKey}. */
  @SafeVarargs
  private void write(java.util.function.IntFunction<RowDiff>... perKey) {
    List<RowDiff> diffs = new ArrayList<>();
    for (int key : List.of(A, B, C)) {
      for (java.util.function.IntFunction<RowDiff> diff : perKey) {
        diffs.add(diff.apply(key));
      }
    }
    long time = Math.max(service.emulator.upper(EmulatedService.SOURCE), service.emulator.now()) + 1;
    service.emulator.write(EmulatedService.SOURCE, time, diffs);
    // lets the commit reach the outbox before the next write, so each write is its own commit
    pause(100);
  }

  /** The event id of the key's first request, or "" before any. */
  private String firstEventOf(int key) {
    return firstEvents.getOrDefault(key, "");
  }

  private int attemptsOf(String eventId) {
    return (int) requests.stream().filter(request -> request.eventId().equals(eventId)).count();
  }

  private int deliveredOf(int key) {
    return (int) requests.stream().filter(request -> request.key() == key && request.delivered()).count();
  }

  private List<String> typesDelivered(int key) {
    return requests.stream().filter(request -> request.key() == key && request.delivered()).map(Request::type)
        .toList();
  }

  private int lastRequestOf(String eventId) {
    int last = -1;
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i).eventId().equals(eventId)) {
        last = i;
      }
    }
    return last;
  }

  private int lastDeliveryOf(int key) {
    int last = -1;
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i).key() == key && requests.get(i).delivered()) {
        last = i;
      }
    }
    return last;
  }

  /** Where the first request of the key's event other than its first one is in the arrival order. */
  private int firstRequestOfSecondEvent(int key) {
    String first = firstEventOf(key);
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i).key() == key && !requests.get(i).eventId().equals(first)) {
        return i;
      }
    }
    return -1;
  }
}
