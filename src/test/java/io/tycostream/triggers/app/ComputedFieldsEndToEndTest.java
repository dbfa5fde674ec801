package io.tycostream.triggers.app;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.testkit.ReceivedWebhook;
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

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static io.tycostream.triggers.testkit.Blocking.pause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Computed fields ({@code computed}, CEL) as a user sees them, over the wire emulator and a real receiver: values
 * arrive in {@code data} after the selected columns; a field that fails for a row is {@code null} there with an
 * entry in the payload's {@code errors}, and the event still arrives; a condition may compare a computed field; the
 * dry run shows the values; a bad expression is a 400 naming {@code computed.<name>}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ComputedFieldsEndToEndTest {

  @TempDir
  Path dataDir;

  private EmulatedService service;

  @BeforeEach
  void setUp(Vertx vertx) {
    service = EmulatedService.start(vertx, dataDir, EmulatorColumn.of("id", PgType.INT4),
        EmulatorColumn.of("net_position", PgType.INT8), EmulatorColumn.of("price", PgType.NUMERIC),
        EmulatorColumn.of("risk_limit", PgType.INT8));
  }

  @AfterEach
  void tearDown() {
    service.close();
  }

  /** Verifies computed values and errors in delivered payloads, in the events API, and in a dry run. */
  @Test
  void computedValuesArriveInDataAndFailuresAsErrors() {
    // GIVEN a trigger firing on exposure > 1000 (a computed field) that selects net_position
    HttpResponse<Buffer> created = service.createWhenSourceReady(trigger("exposure_watch").encode());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/exposure_watch").getString("status")));
    assertThat(service.get("/api/v1/triggers/exposure_watch").getJsonObject("computed").fieldNames())
        .containsExactly("exposure", "breach", "usage");

    // WHEN a row with exposure 100 * 12.5 = 1250 arrives, then one whose risk limit is 0, then a small one
    service.emulator.insert("scores", 1, 100L, new BigDecimal("12.5"), 80L);
    service.emulator.insert("scores", 2, 500L, new BigDecimal("3"), 0L);
    service.emulator.insert("scores", 3, 10L, new BigDecimal("1"), 80L);
    awaitTrue(() -> service.receiver.received().size() >= 2);
    pause(500);

    // THEN rows 1 and 2 FIRE (row 3's exposure is 10), their data holds the selection then the computed values
    List<ReceivedWebhook> received = service.receiver.received();
    assertThat(received).hasSize(2);
    JsonObject first = byId(received, 1);
    assertThat(first.getJsonObject("data")).isEqualTo(new JsonObject().put("id", 1).put("net_position", 100)
        .put("exposure", 1250.0).put("breach", true).put("usage", 125));
    assertThat(first.containsKey("errors")).isFalse();
    // AND row 2's usage (a division by its zero limit) is null with an error, the event still delivered
    JsonObject second = byId(received, 2);
    assertThat(second.getJsonObject("data").getValue("usage")).isNull();
    assertThat(second.getJsonObject("data").containsKey("usage")).isTrue();
    assertThat(second.getJsonObject("data").getDouble("exposure")).isEqualTo(1500.0);
    JsonArray errors = second.getJsonArray("errors");
    assertThat(errors).hasSize(1);
    assertThat(errors.getJsonObject(0).getString("field")).isEqualTo("usage");
    assertThat(errors.getJsonObject(0).getString("message")).contains("by zero");

    // AND the events API shows the same split
    JsonObject history = service.get("/api/v1/triggers/exposure_watch/events");
    assertThat(history.encode()).doesNotContain("$errors");
    JsonObject historyOfRow2 = history.getJsonArray("events").stream().map(JsonObject.class::cast)
        .filter(event -> event.getJsonArray("key").getInteger(0) == 2).findFirst().orElseThrow();
    assertThat(historyOfRow2.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("usage");

    // AND a dry run of the definition shows the computed values of the matching rows
    HttpResponse<Buffer> dryRun = service.post("/api/v1/triggers:test", trigger("exposure_test").encode());
    assertThat(dryRun.statusCode()).as(dryRun.bodyAsString()).isEqualTo(200);
    JsonArray matches = dryRun.bodyAsJsonObject().getJsonArray("matches");
    assertThat(matches).hasSize(2);
    assertThat(matches.encode()).contains("\"exposure\":1250.0").contains("\"field\":\"usage\"");
  }

  /** Verifies that a bad expression, a name taken by a column, and a bad PATCH are refused naming the field. */
  @Test
  void refusesBadExpressionsNamingTheField() {
    JsonObject typeError = trigger("bad").put("computed", new JsonObject().put("exposure",
        "row.net_position * row.price"));
    HttpResponse<Buffer> refused = service.createWhenSourceReady(typeError.encode());
    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(400);
    JsonObject error = refused.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("field")).isEqualTo("computed.exposure");
    assertThat(error.getString("message")).contains("no matching overload");

    JsonObject taken = trigger("bad").put("computed", new JsonObject().put("price", "1.0"))
        .put("fire", new JsonObject().put("price", new JsonObject().put("_gt", 0)));
    assertThat(fieldOf(service.createWhenSourceReady(taken.encode()))).isEqualTo("computed.price");

    HttpResponse<Buffer> created = service.createWhenSourceReady(trigger("good").encode());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(fieldOf(service.patch("/api/v1/triggers/good",
        "{\"computed\": {\"exposure\": \"row.colour\"}}"))).isEqualTo("computed.exposure");
  }

  private JsonObject trigger(String name) {
    return new JsonObject()
        .put("name", name)
        .put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", service.receiver.url("/hooks")))
        .put("fire", new JsonObject().put("exposure", new JsonObject().put("_gt", 1000)))
        .put("fields", new JsonArray().add("net_position"))
        .put("computed", new JsonObject()
            .put("exposure", "double(row.net_position) * row.price")
            .put("breach", "row.net_position > row.risk_limit")
            .put("usage", "row.net_position * 100 / row.risk_limit"));
  }

  private static JsonObject byId(List<ReceivedWebhook> received, int id) {
    return received.stream().map(ReceivedWebhook::json)
        .filter(json -> json.getJsonObject("data").getInteger("id") == id).findFirst().orElseThrow();
  }

  private static String fieldOf(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    return response.bodyAsJsonObject().getJsonObject("error").getString("field");
  }
}
