package io.tycostream.triggers.app;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trigger's own {@code retry} and {@code timeout} over the wire emulator and real loopback receivers: a policy of 3
 * attempts dead-letters after exactly 3 while a trigger on the service's policy is still retrying; a
 * {@code retry.max_age} dead-letters as {@code expired}; a {@code timeout} shorter than the receiver's answer fails
 * the attempt as a timeout while the same receiver is delivered to under the service's timeout; bounds are 400s naming
 * the sub-field; PATCH changes a policy and GET shows it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RetryPolicyEndToEndTest {

  @TempDir
  Path dataDir;

  private EmulatedService service;
  private HttpServer slowReceiver;

  @BeforeEach
  void setUp(Vertx vertx) {
    service = EmulatedService.start(vertx, dataDir, EmulatorColumn.of("id", PgType.INT4),
        EmulatorColumn.of("score", PgType.INT4));
  }

  @AfterEach
  void tearDown() {
    service.close();
    if (slowReceiver != null) {
      await(slowReceiver.close());
    }
  }

  /**
   * Verifies that 3 attempts end in the dead-letter queue after exactly 3 (attempts_exhausted), that max_age ends as
   * expired well before its attempts, and that a trigger on the default policy is still pending meanwhile.
   */
  @Test
  void deadLettersByTheTriggersOwnPolicy() {
    // GIVEN a receiver that always fails, and three triggers on it: 3 quick attempts, max age 1 s, the default policy
    service.receiver.respondWith(() -> 500);
    created(trigger("capped", "/capped", new JsonObject().put("retry", new JsonObject().put("max_attempts", 3)
        .put("initial_delay", "100ms").put("max_delay", "200ms"))));
    created(trigger("aged", "/aged", new JsonObject().put("retry", new JsonObject().put("max_age", "1s"))));
    created(trigger("standard", "/standard", new JsonObject()));
    for (String name : List.of("capped", "aged", "standard")) {
      awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/" + name).getString("status")));
    }
    assertThat(service.get("/api/v1/triggers/capped").getJsonObject("retry"))
        .isEqualTo(new JsonObject().put("max_attempts", 3).put("initial_delay", "100ms").put("max_delay", "200ms"));

    // WHEN a row matches all three
    service.emulator.insert("scores", 1, 150);

    // THEN the capped trigger's event is dead after exactly 3 attempts, its policy spent
    awaitTrue(() -> "dead".equals(onlyEvent("capped").getString("status")));
    JsonObject capped = eventDetail("capped");
    assertThat(capped.getInteger("attempts")).isEqualTo(3);
    assertThat(capped.getJsonArray("delivery_attempts")).hasSize(3);
    assertThat(capped.getString("dead_reason")).isEqualTo("attempts_exhausted");
    // AND the aged one is dead as expired, with attempts of its 15 left
    awaitTrue(() -> "dead".equals(onlyEvent("aged").getString("status")));
    JsonObject aged = eventDetail("aged");
    assertThat(aged.getString("dead_reason")).isEqualTo("expired");
    assertThat(aged.getInteger("attempts")).isLessThan(15);
    // AND the trigger on the service's policy (15 attempts over more than an hour) is still retrying
    JsonObject standard = onlyEvent("standard");
    assertThat(standard.getString("status")).isEqualTo("pending");
    assertThat(standard.getInteger("attempts")).isBetween(1, 14);
  }

  /** Verifies that bad policies are refused naming the sub-field, and that PATCH changes a policy part by part. */
  @Test
  void checksAndPatchesThePolicy() {
    // GIVEN / WHEN policies out of bounds, THEN 400 naming the part
    HttpResponse<Buffer> zero = service.createWhenSourceReady(trigger("bad", "/bad",
        new JsonObject().put("retry", new JsonObject().put("initial_delay", "0ms"))));
    assertThat(zero.statusCode()).isEqualTo(400);
    assertThat(zero.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("retry.initial_delay");
    HttpResponse<Buffer> tooLong = service.createWhenSourceReady(trigger("bad", "/bad",
        new JsonObject().put("retry", new JsonObject().put("max_attempts", 100).put("initial_delay", "7d")
            .put("max_delay", "7d"))));
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("retry.max_attempts");
    HttpResponse<Buffer> slow = service.createWhenSourceReady(trigger("bad", "/bad",
        new JsonObject().put("timeout", "10m")));
    assertThat(slow.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("timeout");

    // WHEN a valid trigger's policy is patched part by part
    created(trigger("tuned", "/tuned", new JsonObject().put("retry", new JsonObject().put("max_attempts", 5)
        .put("jitter", "full"))));
    HttpResponse<Buffer> patched = service.patch("/api/v1/triggers/tuned",
        "{\"retry\": {\"max_attempts\": 7, \"jitter\": null}, \"timeout\": \"2s\"}");

    // THEN GET shows the merged policy
    assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);
    JsonObject tuned = service.get("/api/v1/triggers/tuned");
    assertThat(tuned.getJsonObject("retry")).isEqualTo(new JsonObject().put("max_attempts", 7));
    assertThat(tuned.getString("timeout")).isEqualTo("2s");
    // AND a patch out of bounds is refused naming the part
    HttpResponse<Buffer> refused = service.patch("/api/v1/triggers/tuned", "{\"retry\": {\"multiplier\": 0}}");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("retry.multiplier");
  }

  /**
   * Verifies that a 200 ms timeout against a receiver answering after 1 s records a timeout failure, while a trigger
   * on the service's 5 s timeout is delivered by the same receiver.
   */
  @Test
  void cutsARequestOffAtTheTriggersTimeout(Vertx vertx) {
    // GIVEN a receiver that answers 204 one second after each request, and two triggers on it
    List<String> answered = new CopyOnWriteArrayList<>();
    slowReceiver = await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> request.body().onSuccess(body -> vertx.setTimer(1_000, fired -> {
          answered.add(new JsonObject(body).getString("trigger_name"));
          request.response().setStatusCode(204).end();
        })))
        .listen());
    String slowUrl = "http://127.0.0.1:" + slowReceiver.actualPort();
    created(trigger("hasty", null, new JsonObject().put("timeout", "200ms")).replace("WEBHOOK", slowUrl + "/hasty"));
    created(trigger("patient", null, new JsonObject()).replace("WEBHOOK", slowUrl + "/patient"));
    for (String name : List.of("hasty", "patient")) {
      awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/" + name).getString("status")));
    }
    assertThat(service.get("/api/v1/triggers/hasty").getString("timeout")).isEqualTo("200ms");

    // WHEN a row matches both
    service.emulator.insert("scores", 1, 150);

    // THEN the patient trigger's event is delivered after the receiver's second
    awaitTrue(() -> "delivered".equals(onlyEvent("patient").getString("status")));
    // AND the hasty one's first attempt failed as a timeout, long before the answer would have come
    awaitTrue(() -> onlyEvent("hasty").getInteger("attempts") >= 1);
    JsonObject firstAttempt = eventDetail("hasty").getJsonArray("delivery_attempts").getJsonObject(0);
    assertThat(firstAttempt.getString("outcome")).isNotEqualTo("delivered");
    assertThat(firstAttempt.getString("error")).containsIgnoringCase("timeout");
    assertThat(firstAttempt.getLong("latency_ms")).isLessThan(900L);
    assertThat(firstAttempt.getValue("status_code")).isNull();
  }

  private void created(String json) {
    HttpResponse<Buffer> created = service.createWhenSourceReady(json);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
  }

  /** The trigger's one event, as the events page shows it. */
  private JsonObject onlyEvent(String trigger) {
    JsonArray events = service.get("/api/v1/triggers/" + trigger + "/events").getJsonArray("events");
    return events.isEmpty() ? new JsonObject().put("status", "none").put("attempts", 0) : events.getJsonObject(0);
  }

  /** The trigger's one event with its attempts and dead reason. */
  private JsonObject eventDetail(String trigger) {
    String id = onlyEvent(trigger).getString("event_id");
    return service.get("/api/v1/triggers/" + trigger + "/events/" + id);
  }

  private String trigger(String name, String path, JsonObject extra) {
    JsonObject json = new JsonObject()
        .put("name", name)
        .put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", path == null ? "WEBHOOK" : service.receiver.url(path)))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100)));
    extra.forEach(field -> json.put(field.getKey(), field.getValue()));
    return json.encode();
  }
}
