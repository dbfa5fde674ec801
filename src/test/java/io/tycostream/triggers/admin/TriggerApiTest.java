package io.tycostream.triggers.admin;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
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

import static io.tycostream.triggers.admin.AdminApiFixture.await;
import static io.tycostream.triggers.admin.AdminApiFixture.definition;
import static org.assertj.core.api.Assertions.assertThat;

/** Verifies that triggers can be created, listed, read and deleted over HTTP, and that they persist. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TriggerApiTest {

  private static final String SECRET = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

  @TempDir
  Path dataDir;

  private AdminApiFixture api;

  @BeforeEach
  void startApi(Vertx vertx) {
    api = AdminApiFixture.start(vertx, dataDir, false, false);
  }

  @AfterEach
  void stopApi() {
    api.close();
  }

  /** Verifies the creation response: 201, the definition as sent, a generated secret, status and creation time. */
  @Test
  void createsATriggerAndShowsItsSecretOnce() throws InterruptedException {
    // GIVEN a valid definition without a secret
    // WHEN it is posted
    HttpResponse<Buffer> created = api.post(definition("risk_alert"));

    // THEN it is created with a generated Standard Webhooks secret, and announced
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.getHeader("location")).isEqualTo("/api/v1/triggers/risk_alert");
    JsonObject body = created.bodyAsJsonObject();
    assertThat(body.getString("name")).isEqualTo("risk_alert");
    assertThat(body.getString("source")).isEqualTo("positions");
    assertThat(body.getJsonObject("webhook")).isEqualTo(new JsonObject().put("url", "https://hooks.example.com/risk"));
    assertThat(created.bodyAsString()).contains("\"_gt\":100.5");
    assertThat(body.getString("secret")).startsWith("whsec_").hasSizeGreaterThan(40);
    assertThat(body.getString("status")).isEqualTo("awaiting_baseline");
    assertThat(body.getString("created_at")).isNotBlank();
    assertThat(api.awaitChanges(1)).containsExactly(new JsonObject()
        .put("name", "risk_alert").put("source", "positions").put("change", "created"));

    // AND WHEN it is read back one by one and in the list
    HttpResponse<Buffer> one = api.get("/api/v1/triggers/risk_alert");
    JsonArray all = api.list().getJsonArray("triggers");

    // THEN both show the definition without the secret
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.bodyAsJsonObject().getString("name")).isEqualTo("risk_alert");
    assertThat(one.bodyAsJsonObject().getJsonObject("fire")).isEqualTo(body.getJsonObject("fire"));
    assertThat(one.bodyAsString()).doesNotContain("secret").doesNotContain(body.getString("secret"));
    assertThat(all).hasSize(1);
    assertThat(all.encode()).doesNotContain("secret");
  }

  /** Verifies that a secret given in the definition is the one kept, and that it is returned only on creation. */
  @Test
  void keepsAGivenSecret() {
    // GIVEN a definition with its own secret
    String json = """
        {"name": "own_secret", "source": "positions",
         "webhook": {"url": "https://hooks.example.com/x", "secret": "%s"},
         "fire": {"active": {"_eq": true}}, "include_snapshot": true}""".formatted(SECRET);

    // WHEN it is posted
    HttpResponse<Buffer> created = api.post(json);

    // THEN the secret is that one, the store holds it, and include_snapshot is kept
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getString("secret")).isEqualTo(SECRET);
    assertThat(created.bodyAsJsonObject().getBoolean("include_snapshot")).isTrue();
    assertThat(await(api.store.getTrigger("own_secret")).orElseThrow().secret()).isEqualTo(SECRET);
  }

  /** Verifies that triggers survive a restart of the store and the server, definition and secret alike. */
  @Test
  void triggersPersistAcrossARestart() {
    // GIVEN a created trigger
    HttpResponse<Buffer> created = api.post(definition("persistent"));
    assertThat(created.statusCode()).isEqualTo(201);
    String secret = created.bodyAsJsonObject().getString("secret");

    // WHEN the store and the admin server are closed and opened again over the same directory
    api.restart();

    // THEN the trigger is still there with the same definition, and the store still has its secret
    HttpResponse<Buffer> read = api.get("/api/v1/triggers/persistent");
    assertThat(read.statusCode()).isEqualTo(200);
    JsonObject body = read.bodyAsJsonObject();
    assertThat(body.getJsonObject("fire").getJsonObject("quantity").getValue("_gt").toString()).isEqualTo("100.5");
    assertThat(body.getJsonObject("clear")).isEqualTo(new JsonObject().put("quantity",
        new JsonObject().put("_lte", 90)));
    assertThat(await(api.store.getTrigger("persistent")).orElseThrow().secret()).isEqualTo(secret);
  }

  /** Verifies that DELETE removes a trigger, announces it, and that a second DELETE is a 404. */
  @Test
  void deletesATrigger() throws InterruptedException {
    // GIVEN two triggers
    assertThat(api.post(definition("keep_me")).statusCode()).isEqualTo(201);
    assertThat(api.post(definition("drop_me")).statusCode()).isEqualTo(201);

    // WHEN one is deleted
    HttpResponse<Buffer> deleted = api.delete("/api/v1/triggers/drop_me");

    // THEN it is gone, the other stays, the deletion is announced, and deleting again is a 404
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(names(api.list())).containsExactly("keep_me");
    assertThat(api.get("/api/v1/triggers/drop_me").statusCode()).isEqualTo(404);
    assertThat(api.awaitChanges(3)).last().isEqualTo(new JsonObject()
        .put("name", "drop_me").put("source", "positions").put("change", "deleted"));
    HttpResponse<Buffer> again = api.delete("/api/v1/triggers/drop_me");
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(again.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("not_found");
  }

  /** Verifies 404 for unknown triggers and 405 for unsupported methods, both in the error shape. */
  @Test
  void unknownTriggersAndMethodsAnswerInTheErrorShape() {
    // WHEN an unknown trigger is read and an unsupported method is used
    HttpResponse<Buffer> missing = api.get("/api/v1/triggers/nobody");
    HttpResponse<Buffer> put = await(api.request(HttpMethod.PUT, "/api/v1/triggers/nobody").send());

    // THEN the answers are 404 not_found (naming the field) and 405, as JSON errors
    assertThat(missing.statusCode()).isEqualTo(404);
    JsonObject error = missing.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.remove("request_id")).isNotNull();
    assertThat(error)
        .isEqualTo(new JsonObject().put("code", "not_found").put("message", "no trigger named 'nobody'")
            .put("field", "name"));
    assertThat(put.statusCode()).isEqualTo(405);
    assertThat(put.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("method_not_allowed");
  }

  /** Verifies that a trigger's events can be listed (none yet) and that bad query parameters are refused. */
  @Test
  void listsATriggersEvents() {
    // GIVEN a trigger that has not fired yet
    assertThat(api.post(definition("quiet")).statusCode()).isEqualTo(201);

    // WHEN its events are asked, with good and bad parameters, and those of an unknown trigger
    HttpResponse<Buffer> events = api.get("/api/v1/triggers/quiet/events?status=pending&limit=10");
    HttpResponse<Buffer> badStatus = api.get("/api/v1/triggers/quiet/events?status=lost");
    HttpResponse<Buffer> badLimit = api.get("/api/v1/triggers/quiet/events?limit=0");
    HttpResponse<Buffer> unknown = api.get("/api/v1/triggers/nobody/events");

    // THEN the list is empty, bad parameters are 400 naming them, and the unknown trigger is 404
    assertThat(events.statusCode()).isEqualTo(200);
    assertThat(events.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("events", new JsonArray()).put("next_cursor", null));
    assertThat(badStatus.statusCode()).isEqualTo(400);
    assertThat(badStatus.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("status");
    assertThat(badLimit.statusCode()).isEqualTo(400);
    assertThat(badLimit.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("limit");
    assertThat(unknown.statusCode()).isEqualTo(404);
  }

  /** Verifies that numbers beyond double precision survive creation and reading unchanged. */
  @Test
  void keepsEveryDigitOfADecimalThreshold() {
    // GIVEN a threshold with more digits than a double holds
    String json = """
        {"name": "precise", "source": "positions", "webhook": {"url": "https://hooks.example.com/x"},
         "fire": {"quantity": {"_gt": 12345678901234567890.123456789}}}""";

    // WHEN it is created and read back
    assertThat(api.post(json).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> read = api.get("/api/v1/triggers/precise");

    // THEN the digits are all there
    assertThat(read.bodyAsString()).contains("\"_gt\":12345678901234567890.123456789");
  }

  private static List<String> names(JsonObject list) {
    return list.getJsonArray("triggers").stream().map(t -> ((JsonObject) t).getString("name")).toList();
  }
}
