package io.tycostream.triggers.app;

import io.tycostream.triggers.delivery.RetryPolicy;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.emulator.RowDiff;
import io.tycostream.triggers.testkit.StandardWebhooksVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static io.tycostream.triggers.testkit.Blocking.pause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batch delivery (issue #11 item 8) as a receiver sees it, over the wire emulator and a real loopback receiver that
 * records every request (answered 2xx or not): a batched trigger's events arrive as few POSTs of
 * {@code {"batch_id", "events": [...]}}, signed as one Standard Webhooks message whose {@code webhook-id} is the batch
 * id; a failed batch comes again with the same id and members; a replayed dead batch too. Expected batch ids are
 * computed here from the event ids observed, by the rule the receiver documentation gives (SHA-256 of the trigger name
 * and the sorted event ids, each line-terminated; {@code batch_} and the first 32 hex digits), not by the code under
 * test.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BatchDeliveryEndToEndTest {

  private static final String TRIGGER = "batched";

  @TempDir
  Path dataDir;

  private EmulatedService service;
  private Recorder receiver;
  private String secret;

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
    if (receiver != null) {
      await(receiver.server.close());
    }
  }

  /**
   * Verifies that 250 matching rows with {@code max_events} 100 arrive as three POSTs of 100, 100 and 50 events, each
   * signed under its batch id, in source-timestamp order, every event exactly once.
   */
  @Test
  void deliversTwoHundredFiftyRowsAsThreeSignedOrderedBatches(Vertx vertx) {
    // GIVEN a trigger batching up to 100 events, waiting at most 2 s
    start(vertx, 3);
    createTrigger(new JsonObject().put("max_events", 100).put("max_wait", "2s"));

    // WHEN 250 rows match, written in five commits of 50 at increasing timestamps
    for (int commit = 0; commit < 5; commit++) {
      int first = commit * 50 + 1;
      writeRows(IntStream.range(first, first + 50).toArray());
    }

    // THEN three POSTs arrive: 100, 100 and 50 events
    awaitTrue(() -> eventsReceived() >= 250, Duration.ofSeconds(30));
    pause(500);
    List<Request> posts = receiver.requests;
    assertThat(posts).extracting(post -> post.events().size()).containsExactly(100, 100, 50);

    // AND each is one Standard Webhooks message under its batch id, which is the id of its members
    List<String> eventIds = new ArrayList<>();
    List<Integer> rowIds = new ArrayList<>();
    for (Request post : posts) {
      // in order within the batch (batches themselves may be in flight together, so may arrive in any order)
      BigInteger previousTimestamp = BigInteger.ZERO;
      List<Integer> batchRows = new ArrayList<>();
      assertThat(StandardWebhooksVerifier.verifies(secret, post.id(), post.timestamp(), post.body().getBytes(),
          post.signature())).as("signature of " + post.id()).isTrue();
      assertThat(post.json().getString("batch_id")).isEqualTo(post.id());
      assertThat(post.id()).isEqualTo(expectedBatchId(post.eventIds()));
      for (JsonObject event : post.events()) {
        // each element is the event's usual payload
        assertThat(event.fieldNames()).contains("event_id", "event_type", "trigger_name", "timestamp",
            "source_timestamp", "data");
        assertThat(event.getString("event_type")).isEqualTo("FIRE");
        BigInteger timestamp = new BigInteger(event.getString("source_timestamp"));
        assertThat(timestamp).isGreaterThanOrEqualTo(previousTimestamp);
        previousTimestamp = timestamp;
        eventIds.add(event.getString("event_id"));
        batchRows.add(event.getJsonObject("data").getInteger("id"));
      }
      // rows of one timestamp in commit order
      assertThat(batchRows).isSorted();
      rowIds.addAll(batchRows);
    }
    // AND every event exactly once
    assertThat(new HashSet<>(eventIds)).hasSize(250);
    assertThat(rowIds).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 250).boxed().toList());

    // AND a member's history names its batch
    JsonObject history = service.get("/api/v1/triggers/" + TRIGGER + "/events/" + eventIds.get(0));
    assertThat(history.getString("status")).isEqualTo("delivered");
    assertThat(history.getString("batch_id")).isEqualTo(posts.get(0).id());
  }

  /** Verifies that fewer events than {@code max_events} leave together once the oldest has waited {@code max_wait}. */
  @Test
  void sendsAShortBatchAfterMaxWait(Vertx vertx) {
    // GIVEN a trigger batching up to 100 events, waiting at most 1 s
    start(vertx, 3);
    createTrigger(new JsonObject().put("max_events", 100).put("max_wait", "1s"));

    // WHEN three rows match in one commit
    long written = System.nanoTime();
    writeRows(1, 2, 3);

    // THEN they arrive as one POST of three, about a second later
    awaitTrue(() -> receiver.requests.size() == 1, Duration.ofSeconds(10));
    Request post = receiver.requests.get(0);
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(post.atNanos() - written);
    assertThat(post.events()).hasSize(3);
    assertThat(waitedMs).as("waited before the POST").isBetween(900L, 5_000L);
    pause(1_500);
    assertThat(receiver.requests).hasSize(1);
  }

  /** Verifies that a failed batch is retried as the same message: the same id and the same members. */
  @Test
  void retriesAFailedBatchWithTheSameIdAndMembers(Vertx vertx) {
    // GIVEN a receiver that fails the first two requests, and three attempts per event
    start(vertx, 3);
    int[] seen = {0};
    receiver.status = () -> ++seen[0] <= 2 ? 500 : 204;
    createTrigger(new JsonObject().put("max_events", 10).put("max_wait", "300ms"));

    // WHEN five rows match
    writeRows(1, 2, 3, 4, 5);

    // THEN three requests carry the same batch, the last one answered 2xx
    awaitTrue(() -> receiver.requests.size() == 3, Duration.ofSeconds(20));
    pause(1_000);
    List<Request> requests = receiver.requests;
    assertThat(requests).hasSize(3);
    assertThat(requests).extracting(Request::status).containsExactly(500, 500, 204);
    assertThat(requests).extracting(Request::id).containsOnly(requests.get(0).id());
    assertThat(requests).extracting(Request::eventIds).containsOnly(requests.get(0).eventIds());
    assertThat(requests.get(0).id()).isEqualTo(expectedBatchId(requests.get(0).eventIds()));
    assertThat(requests.get(0).eventIds()).hasSize(5);

    // AND each member's history shows the three attempts and the batch
    for (String eventId : requests.get(0).eventIds()) {
      JsonObject history = service.get("/api/v1/triggers/" + TRIGGER + "/events/" + eventId);
      assertThat(history.getString("status")).isEqualTo("delivered");
      assertThat(history.getString("batch_id")).isEqualTo(requests.get(0).id());
      assertThat(history.getJsonArray("delivery_attempts")).hasSize(3);
    }
  }

  /**
   * Verifies that a dead batch, replayed, goes out again with the same id and members; and that replaying one member
   * alone sends a batch of that event under the id of that one event.
   */
  @Test
  void replaysADeadBatchUnderTheSameId(Vertx vertx) {
    // GIVEN a receiver that refuses everything, and two attempts per event
    start(vertx, 2);
    receiver.status = () -> 500;
    createTrigger(new JsonObject().put("max_events", 10).put("max_wait", "300ms"));

    // WHEN four rows match and their batch spends its attempts
    writeRows(1, 2, 3, 4);
    awaitTrue(() -> receiver.requests.size() == 2, Duration.ofSeconds(20));
    List<String> members = receiver.requests.get(0).eventIds();
    awaitTrue(() -> members.stream().allMatch(id -> "dead".equals(eventStatus(id))), Duration.ofSeconds(20));
    String deadBatch = receiver.requests.get(0).id();
    assertThat(deadBatch).isEqualTo(expectedBatchId(members));

    // AND the receiver is fixed and the dead events are replayed
    receiver.status = () -> 204;
    HttpResponse<Buffer> replayed = service.post("/api/v1/triggers/" + TRIGGER + "/events:retry",
        new JsonObject().put("status", "dead").encode());
    assertThat(replayed.statusCode()).as(replayed.bodyAsString()).isEqualTo(200);
    assertThat(replayed.bodyAsJsonObject().getInteger("retried")).isEqualTo(4);

    // THEN the same batch arrives again: the same id, the same members
    awaitTrue(() -> receiver.requests.size() == 3, Duration.ofSeconds(20));
    Request again = receiver.requests.get(2);
    assertThat(again.status()).isEqualTo(204);
    assertThat(again.id()).isEqualTo(deadBatch);
    assertThat(again.eventIds()).isEqualTo(members);
    assertThat(StandardWebhooksVerifier.verifies(secret, again.id(), again.timestamp(), again.body().getBytes(),
        again.signature())).isTrue();

    // WHEN only one member is replayed
    awaitTrue(() -> "delivered".equals(eventStatus(members.get(2))));
    HttpResponse<Buffer> one = service.post("/api/v1/triggers/" + TRIGGER + "/events/" + members.get(2) + ":retry",
        "");
    assertThat(one.statusCode()).as(one.bodyAsString()).isEqualTo(200);

    // THEN it goes out alone, under the id of that one event
    awaitTrue(() -> receiver.requests.size() == 4, Duration.ofSeconds(20));
    Request alone = receiver.requests.get(3);
    assertThat(alone.eventIds()).containsExactly(members.get(2));
    assertThat(alone.id()).isEqualTo(expectedBatchId(List.of(members.get(2)))).isNotEqualTo(deadBatch);
  }

  /** Verifies that out-of-bounds batch settings are refused naming the field, and that GET and PATCH show it. */
  @Test
  void refusesBatchSettingsOutOfBoundsNamingTheField(Vertx vertx) {
    start(vertx, 3);
    assertRefused(new JsonObject().put("max_events", 0), "batch.max_events");
    assertRefused(new JsonObject().put("max_events", 1_001), "batch.max_events");
    assertRefused(new JsonObject().put("max_events", 10).put("max_wait", "0s"), "batch.max_wait");
    assertRefused(new JsonObject().put("max_events", 10).put("max_wait", "2m"), "batch.max_wait");
    assertRefused(new JsonObject().put("max_events", 10).put("max_wait", "soon"), "batch.max_wait");
    assertRefused(new JsonObject().put("max_events", 10).put("size", 3), "batch.size");

    createTrigger(new JsonObject().put("max_events", 50));
    assertThat(service.get("/api/v1/triggers/" + TRIGGER).getJsonObject("batch"))
        .isEqualTo(new JsonObject().put("max_events", 50).put("max_wait", "1s"));
    HttpResponse<Buffer> patched = service.patch("/api/v1/triggers/" + TRIGGER,
        "{\"batch\": {\"max_events\": 20, \"max_wait\": \"500ms\"}}");
    assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);
    assertThat(patched.bodyAsJsonObject().getJsonObject("batch"))
        .isEqualTo(new JsonObject().put("max_events", 20).put("max_wait", "500ms"));
    HttpResponse<Buffer> refused = service.patch("/api/v1/triggers/" + TRIGGER, "{\"batch\": {\"max_events\": -1}}");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("batch.max_events");
  }

  private void assertRefused(JsonObject batch, String field) {
    HttpResponse<Buffer> response = service.createWhenSourceReady(definition(batch));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo(field);
  }

  private void start(Vertx vertx, int attempts) {
    receiver = new Recorder();
    receiver.server = await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> request.body().onSuccess(body -> {
          int status = receiver.status.getAsInt();
          receiver.requests.add(new Request(request.getHeader("webhook-id"), request.getHeader("webhook-timestamp"),
              request.getHeader("webhook-signature"), body, System.nanoTime(), status));
          request.response().setStatusCode(status).end();
        }))
        .listen());
    service = EmulatedService.start(vertx, dataDir, config -> config, application -> application.deliveryOptions()
            .setRetryPolicy(RetryPolicy.exponentialBackoff(Duration.ofMillis(100), 2.0, Duration.ofMillis(200),
                attempts)),
        EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("score", PgType.INT4));
  }

  private void createTrigger(JsonObject batch) {
    HttpResponse<Buffer> created = service.createWhenSourceReady(definition(batch));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    secret = created.bodyAsJsonObject().getString("secret");
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/" + TRIGGER).getString("status")));
  }

  private String definition(JsonObject batch) {
    return new JsonObject()
        .put("name", TRIGGER)
        .put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", "http://127.0.0.1:" + receiver.server.actualPort() + "/hooks"))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100)))
        .put("batch", batch)
        .encode();
  }

  /** Writes matching rows (score 150) in one commit. */
  private void writeRows(int... ids) {
    List<RowDiff> rows = IntStream.of(ids).mapToObj(id -> RowDiff.insert(id, 150)).toList();
    for (int tries = 0; ; tries++) {
      try {
        service.emulator.write(EmulatedService.SOURCE,
            Math.max(service.emulator.upper(EmulatedService.SOURCE), service.emulator.now()), rows);
        return;
      } catch (IllegalArgumentException tickMovedTheUpper) {
        if (tries >= 10) {
          throw tickMovedTheUpper;
        }
      }
    }
  }

  private int eventsReceived() {
    return receiver.requests.stream().filter(request -> request.status() == 204)
        .mapToInt(request -> request.events().size()).sum();
  }

  private String eventStatus(String eventId) {
    return service.get("/api/v1/triggers/" + TRIGGER + "/events/" + eventId).getString("status");
  }

  /** The documented batch id: {@code batch_} + hex of the first 16 bytes of SHA-256(name \n sorted ids \n…). */
  private static String expectedBatchId(List<String> eventIds) {
    List<String> sorted = new ArrayList<>(eventIds);
    sorted.sort(null);
    StringBuilder text = new StringBuilder(TRIGGER).append('\n');
    sorted.forEach(id -> text.append(id).append('\n'));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return "batch_" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Records every request with the status it was answered with. */
  private static final class Recorder {
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile IntSupplier status = () -> 204;
    private HttpServer server;
  }

  private record Request(String id, String timestamp, String signature, Buffer body, long atNanos, int status) {

    JsonObject json() {
      return new JsonObject(body);
    }

    List<JsonObject> events() {
      JsonArray events = json().getJsonArray("events");
      List<JsonObject> list = new ArrayList<>();
      events.forEach(event -> list.add((JsonObject) event));
      return list;
    }

    List<String> eventIds() {
      return events().stream().map(event -> event.getString("event_id")).toList();
    }
  }
}
