package io.tycostream.triggers.app;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static io.tycostream.triggers.testkit.Blocking.pause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trigger's {@code ttl} over the wire emulator and a real receiver: it fires before its expiry; afterwards it reads
 * {@code expired} (also in the list filtered by that status), a later matching row makes no event, its event still
 * pending at the expiry is delivered once the receiver recovers, and the expiry is in the audit log once, by
 * {@code system}. A PATCH with a later {@code expires_at} revives it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TriggerExpiryEndToEndTest {

  @TempDir
  Path dataDir;

  private EmulatedService service;

  @BeforeEach
  void setUp(Vertx vertx) {
    // a short breaker reset, so the event failing before the expiry is retried soon after the receiver recovers
    service = EmulatedService.start(vertx, dataDir, config -> config,
        application -> application.deliveryOptions().setBreakerResetTimeout(Duration.ofMillis(300)),
        EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("score", PgType.INT4));
  }

  @AfterEach
  void tearDown() {
    service.close();
  }

  /** Verifies the life of a trigger with a 4 s ttl, from its first FIRE to its revival. */
  @Test
  void stopsEvaluatingAtItsExpiryAndStillDeliversWhatItFired() {
    // GIVEN a receiver that fails for now, and a trigger living 4 s, retrying every few hundred ms
    service.receiver.respondWith(() -> 500);
    // milliseconds, as expires_at is shown
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    HttpResponse<Buffer> created = service.createWhenSourceReady(new JsonObject()
        .put("name", "short_lived")
        .put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", service.receiver.url("/hooks")))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100)))
        .put("ttl", "4s")
        .put("retry", new JsonObject().put("max_attempts", 100).put("initial_delay", "200ms")
            .put("max_delay", "500ms"))
        .encode());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    // the ttl is shown as the instant it ends at
    Instant expiresAt = Instant.parse(created.bodyAsJsonObject().getString("expires_at"));
    assertThat(expiresAt).isBetween(before.plusSeconds(4), Instant.now().plusSeconds(4));
    assertThat(created.bodyAsJsonObject().containsKey("ttl")).isFalse();
    awaitTrue(() -> "active".equals(status()));

    // WHEN a row matches before the expiry
    service.emulator.insert("scores", 1, 150);

    // THEN it makes an event, failing for now
    awaitTrue(() -> events().size() == 1 && events().getJsonObject(0).getInteger("attempts") >= 1);
    assertThat(Instant.now()).isBefore(expiresAt);

    // WHEN the expiry passes
    awaitTrue(() -> "expired".equals(status()), Duration.ofSeconds(15));
    assertThat(Instant.now()).isAfterOrEqualTo(expiresAt);
    JsonArray expiredList = service.get("/api/v1/triggers?status=expired").getJsonArray("triggers");
    assertThat(expiredList).hasSize(1);
    assertThat(expiredList.getJsonObject(0).getString("name")).isEqualTo("short_lived");
    assertThat(service.get("/api/v1/triggers?status=active").getJsonArray("triggers")).isEmpty();

    // AND a later row matches
    service.emulator.insert("scores", 2, 500);
    pause(1_500);

    // THEN no event is made for it
    assertThat(events()).hasSize(1);
    // AND the event made before the expiry is delivered once the receiver recovers
    service.receiver.respondWith(() -> 204);
    awaitTrue(() -> service.receiver.received().size() == 1, Duration.ofSeconds(20));
    assertThat(service.receiver.received().get(0).json().getJsonObject("data").getInteger("id")).isEqualTo(1);
    // AND the expiry is in the audit log once, by the service itself
    awaitTrue(() -> expiryEntries().size() == 1);
    JsonObject entry = expiryEntries().getJsonObject(0);
    assertThat(entry.getString("actor")).isEqualTo("system");
    assertThat(entry.getString("target")).isEqualTo("short_lived");
    pause(1_000);
    assertThat(expiryEntries()).hasSize(1);
    assertThat(service.receiver.received()).hasSize(1);

    // WHEN the expiry is moved an hour on
    HttpResponse<Buffer> revived = service.patch("/api/v1/triggers/short_lived",
        "{\"expires_at\": \"" + Instant.now().plusSeconds(3_600) + "\"}");

    // THEN it evaluates again after a reconcile: the row matching meanwhile fires
    assertThat(revived.statusCode()).as(revived.bodyAsString()).isEqualTo(200);
    awaitTrue(() -> service.receiver.received().size() == 2, Duration.ofSeconds(20));
    assertThat(service.receiver.received().get(1).json().getJsonObject("data").getInteger("id")).isEqualTo(2);
    assertThat(status()).isEqualTo("active");
  }

  /** Verifies that an expiry already past at creation, and a ttl beside expires_at, are refused naming the field. */
  @Test
  void refusesAnExpiryInThePastOrGivenTwice() {
    String base = new JsonObject()
        .put("name", "late")
        .put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", service.receiver.url("/hooks")))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100)))
        .encode();
    HttpResponse<Buffer> past = service.createWhenSourceReady(new JsonObject(base)
        .put("expires_at", "2020-01-01T00:00:00Z").encode());
    assertThat(past.statusCode()).isEqualTo(400);
    assertThat(past.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("expires_at");
    HttpResponse<Buffer> both = service.createWhenSourceReady(new JsonObject(base)
        .put("expires_at", "2030-01-01T00:00:00Z").put("ttl", "1h").encode());
    assertThat(both.statusCode()).isEqualTo(400);
    assertThat(both.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("ttl");
  }

  private String status() {
    return service.get("/api/v1/triggers/short_lived").getString("status");
  }

  private JsonArray events() {
    return service.get("/api/v1/triggers/short_lived/events").getJsonArray("events");
  }

  private JsonArray expiryEntries() {
    return service.get("/api/v1/audit?action=trigger.expire").getJsonArray("entries");
  }
}
