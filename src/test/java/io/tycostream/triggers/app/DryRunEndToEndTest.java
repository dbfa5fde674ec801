package io.tycostream.triggers.app;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.testkit.DocumentedEventId;
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

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static io.tycostream.triggers.testkit.Blocking.pause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the dry run over HTTP against a Materialize view (the wire emulator) (#10): {@code POST
 * /api/v1/triggers:test} answers exactly the rows of the view's current contents that satisfy {@code fire}, with the
 * payload each FIRE would carry, and stores nothing: the trigger list and the events of an existing trigger are
 * unchanged, and no webhook is sent.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DryRunEndToEndTest {

  @TempDir
  Path dataDir;

  private EmulatedService service;
  private MaterializeEmulator emulator;

  @BeforeEach
  void setUp(Vertx vertx) {
    service = EmulatedService.start(vertx, dataDir, EmulatorColumn.of("id", PgType.INT4),
        EmulatorColumn.of("score", PgType.INT4), EmulatorColumn.of("active", PgType.BOOL));
    emulator = service.emulator;
  }

  @AfterEach
  void tearDown() {
    service.close();
  }

  /** Verifies that the dry run lists exactly the matching rows with their payloads and changes nothing. */
  @Test
  void listsTheMatchingRowsOfTheViewAndStoresNothing() {
    // GIVEN an existing trigger that matches nothing, and rows of which two score at least 100
    assertThat(service.createWhenSourceReady(trigger("existing", 1_000)).statusCode()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/existing").getString("status")));
    emulator.insert("scores", 1, 150, true);
    emulator.insert("scores", 2, 50, true);
    emulator.insert("scores", 3, 100, false);
    long last = emulator.update("scores", new Object[] {2, 50, true}, new Object[] {2, 60, false});

    // WHEN a definition with fire score >= 100 is dry-run
    HttpResponse<Buffer> response = service.post("/api/v1/triggers:test", trigger("probe", 100));

    // THEN it answers the rows with keys 1 and 3, each with the FIRE payload delivery would send
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject answer = response.bodyAsJsonObject();
    assertThat(answer.getString("source")).isEqualTo("scores");
    BigInteger frontier = new BigInteger(answer.getString("frontier"));
    assertThat(frontier).isGreaterThan(BigInteger.valueOf(last));
    assertThat(answer.getBoolean("truncated")).isFalse();
    List<JsonObject> matches = answer.getJsonArray("matches").stream().map(JsonObject.class::cast)
        .sorted((a, b) -> a.getJsonArray("key").getInteger(0) - b.getJsonArray("key").getInteger(0)).toList();
    assertThat(matches).extracting(match -> match.getJsonArray("key")).containsExactly(new JsonArray().add(1),
        new JsonArray().add(3));
    assertThat(matches).extracting(match -> match.getJsonObject("row")).containsExactly(row(1, 150, true),
        row(3, 100, false));
    long stamped = frontier.longValueExact() - 1;
    for (JsonObject match : matches) {
      JsonObject payload = match.getJsonObject("payload");
      String key = match.getJsonArray("key").encode();
      assertThat(payload.getString("event_id")).isEqualTo(DocumentedEventId.of("probe", key, stamped));
      assertThat(payload.getString("event_type")).isEqualTo("FIRE");
      assertThat(payload.getString("trigger_name")).isEqualTo("probe");
      assertThat(payload.getString("source_timestamp")).isEqualTo(String.valueOf(stamped));
      assertThat(payload.getJsonObject("data")).isEqualTo(match.getJsonObject("row"));
      assertThat(payload.getString("timestamp")).isNotBlank();
    }

    // AND nothing was stored or sent: the trigger list and the existing trigger's events are unchanged
    pause(500);
    assertThat(service.get("/api/v1/triggers").getJsonArray("triggers")).extracting(t -> ((JsonObject) t)
        .getString("name")).containsExactly("existing");
    assertThat(service.get("/api/v1/triggers/existing/events").getJsonArray("events")).isEmpty();
    assertThat(service.receiver.received()).isEmpty();
  }

  /** Verifies that a definition the creation would refuse is refused the same way by the dry run. */
  @Test
  void refusesWhatTheCreationRefuses() {
    assertThat(service.createWhenSourceReady(trigger("existing", 1_000)).statusCode()).isEqualTo(201);

    JsonObject unknownColumn = JsonObject.of("name", "probe", "source", "scores", "webhook",
        JsonObject.of("url", service.receiver.url("/probe")), "fire", JsonObject.of("colour", JsonObject.of("_eq", 1)));
    HttpResponse<Buffer> response = service.post("/api/v1/triggers:test", unknownColumn.encode());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("invalid_condition");
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("field")).startsWith("fire");
  }

  private String trigger(String name, int minimumScore) {
    return new JsonObject()
        .put("name", name)
        .put("source", "scores")
        .put("webhook", new JsonObject().put("url", service.receiver.url("/" + name)))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", minimumScore)))
        .encode();
  }

  private static JsonObject row(int id, int score, boolean active) {
    return new JsonObject().put("id", id).put("score", score).put("active", active);
  }
}
