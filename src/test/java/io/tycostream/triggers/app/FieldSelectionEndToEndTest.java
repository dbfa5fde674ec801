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

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static io.tycostream.triggers.testkit.Blocking.pause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code fields} over the wire emulator and a real receiver: a FIRE's and a CLEAR's {@code data} carry the key column
 * and the selected columns only; a name that is not a column is refused naming it; a PATCH of {@code fields} applies to
 * the events after it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FieldSelectionEndToEndTest {

  @TempDir
  Path dataDir;

  private EmulatedService service;

  @BeforeEach
  void setUp(Vertx vertx) {
    service = EmulatedService.start(vertx, dataDir, EmulatorColumn.of("id", PgType.INT4),
        EmulatorColumn.of("score", PgType.INT4), EmulatorColumn.of("active", PgType.BOOL));
  }

  @AfterEach
  void tearDown() {
    service.close();
  }

  /** Verifies the selected data of FIRE and CLEAR, the refusal of an unknown column, and a PATCH of the selection. */
  @Test
  void eventsCarryTheKeyAndTheSelectedColumns() {
    // GIVEN a trigger that selects score only
    HttpResponse<Buffer> created = service.createWhenSourceReady(trigger(new JsonArray().add("score")));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/scored").getString("status")));
    assertThat(service.get("/api/v1/triggers/scored").getJsonArray("fields")).containsExactly("score");

    // WHEN a row fires and clears
    service.emulator.insert("scores", 1, 150, true);
    service.emulator.update("scores", new Object[] {1, 150, true}, new Object[] {1, 50, false});
    awaitTrue(() -> service.receiver.received().size() == 2);

    // THEN both carry the key and score, not active
    List<ReceivedWebhook> received = service.receiver.received();
    assertThat(received.get(0).json().getJsonObject("data")).isEqualTo(new JsonObject().put("id", 1).put("score", 150));
    assertThat(received.get(1).json().getJsonObject("data")).isEqualTo(new JsonObject().put("id", 1).put("score", 50));

    // WHEN the selection becomes active, THEN the next event carries the key and active
    HttpResponse<Buffer> patched = service.patch("/api/v1/triggers/scored", "{\"fields\": [\"active\"]}");
    assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);
    assertThat(patched.bodyAsJsonObject().getJsonArray("fields")).containsExactly("active");
    // the evaluator re-reads the trigger when the change is announced, within milliseconds
    pause(500);
    service.emulator.insert("scores", 2, 300, true);
    awaitTrue(() -> service.receiver.received().size() == 3);
    assertThat(service.receiver.received().get(2).json().getJsonObject("data"))
        .isEqualTo(new JsonObject().put("id", 2).put("active", true));

    // AND a name that is not a column is refused, naming it
    HttpResponse<Buffer> unknown = service.createWhenSourceReady(trigger(new JsonArray().add("score").add("colour"))
        .replace("scored", "other"));
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("fields[1]");
  }

  private String trigger(JsonArray fields) {
    return new JsonObject()
        .put("name", "scored")
        .put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", service.receiver.url("/hooks")))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100)))
        .put("fields", fields)
        .encode();
  }
}
