package io.tycostream.triggers.admin;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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

import static io.tycostream.triggers.admin.AdminApiFixture.definition;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies that every kind of bad trigger request is answered with its status, code and field in the one error
 * shape, and changes nothing: no trigger is added or altered and nothing is announced.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TriggerApiValidationTest {

  private static final String URL = "https://hooks.example.com/x";

  /** One bad request and the answer it must get. */
  record BadRequest(String what, String contentType, String body, int status, String code, String field) {

    static BadRequest json(String what, String body, int status, String code, String field) {
      return new BadRequest(what, "application/json", body, status, code, field);
    }
  }

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

  /** Verifies each bad request against an API that already holds one trigger. */
  @Test
  void refusesBadRequestsAndChangesNothing() throws InterruptedException {
    // GIVEN one existing trigger, and the list and announcements as they are
    assertThat(api.post(definition("existing")).statusCode()).isEqualTo(201);
    JsonObject before = api.list();
    int announcements = api.awaitChanges(1).size();

    for (BadRequest bad : badRequests()) {
      // WHEN a bad request is posted
      HttpResponse<Buffer> response = api.post(TriggerRoutes.TRIGGERS, bad.contentType(), Buffer.buffer(bad.body()));

      // THEN it gets its status, code and field in the error shape
      assertThat(response.statusCode()).as(bad.what() + ": " + response.bodyAsString()).isEqualTo(bad.status());
      JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
      assertThat(error.getString("code")).as(bad.what()).isEqualTo(bad.code());
      assertThat(error.getString("field")).as(bad.what()).isEqualTo(bad.field());
      assertThat(error.getString("message")).as(bad.what()).isNotBlank();
      // AND nothing changed
      assertThat(api.list()).as(bad.what()).isEqualTo(before);
    }
    assertThat(api.changes).hasSize(announcements);
  }

  /** Verifies that an http webhook URL is refused naming the field and the setting that refuses it. */
  @Test
  void refusesPlainHttpNamingTheSetting() {
    // GIVEN the production target rules, WHEN a trigger posting over http is created
    HttpResponse<Buffer> response = api.post(definition("plain").replace("https://", "http://"));

    // THEN it is a 400 on webhook.url that tells which setting refuses it, and nothing is created
    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("target_not_allowed");
    assertThat(error.getString("field")).isEqualTo("webhook.url");
    assertThat(error.getString("message")).contains("https").contains("delivery.require_https");
    assertThat(api.list().getJsonArray("triggers")).isEmpty();
  }

  /** Verifies that a body over the limit is refused as JSON 413 before it is parsed. */
  @Test
  void refusesAnOversizedBody() {
    // GIVEN a definition padded past 64 KiB with a long name
    String oversized = definition("big").replace("\"big\"", "\"" + "b".repeat(TriggerRoutes.MAX_BODY_BYTES) + "\"");

    // WHEN it is posted
    HttpResponse<Buffer> response = api.post(oversized);

    // THEN the answer is 413 body_too_large in the error shape and nothing was created
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("body_too_large");
    assertThat(api.list().getJsonArray("triggers")).isEmpty();
  }

  static List<BadRequest> badRequests() {
    return List.of(
        BadRequest.json("malformed JSON", "{\"name\": ", 400, "malformed_json", null),
        BadRequest.json("empty body", "", 400, "malformed_json", null),
        new BadRequest("not JSON content", "text/plain", definition("plain"), 415, "unsupported_media_type", null),
        new BadRequest("no content type", null, definition("untyped"), 415, "unsupported_media_type", null),
        BadRequest.json("unknown top-level field", definition("colourful").replace("{\"name\"",
            "{\"colour\": \"red\", \"name\""), 400, "unknown_field", "colour"),
        BadRequest.json("unknown webhook field", definition("retrying").replace("\"url\"", "\"retries\": 3, \"url\""),
            400, "unknown_field", "webhook.retries"),
        BadRequest.json("missing name", definition("x").replace("\"name\": \"x\",", ""), 400, "invalid_field",
            "name"),
        BadRequest.json("invalid name", definition("Not Valid"), 400, "invalid_field", "name"),
        BadRequest.json("unknown source", definition("lost").replace("positions", "nowhere"), 400,
            "unknown_source", "source"),
        BadRequest.json("relative webhook URL", definition("rel").replace(URL.replace("/x", "/risk"), "/hooks"), 400,
            "invalid_field", "webhook.url"),
        BadRequest.json("non-http webhook URL", definition("ftp").replace("https://", "ftp://"), 400,
            "invalid_field", "webhook.url"),
        BadRequest.json("http webhook URL while https is required", definition("plain").replace(
            "https://hooks.example.com", "http://hooks.example.com"), 400, "target_not_allowed", "webhook.url"),
        BadRequest.json("loopback webhook URL", definition("loop").replace("https://hooks.example.com",
            "https://127.0.0.1:9"), 400, "target_not_allowed", "webhook.url"),
        BadRequest.json("private webhook URL", definition("lan").replace("https://hooks.example.com",
            "https://10.1.2.3"), 400, "target_not_allowed", "webhook.url"),
        BadRequest.json("localhost webhook URL", definition("local").replace("https://hooks.example.com",
            "https://localhost:8080"), 400, "target_not_allowed", "webhook.url"),
        BadRequest.json("invalid secret", definition("weak").replace("\"url\"", "\"secret\": \"whsec_c2hvcnQ=\","
            + " \"url\""), 400, "invalid_field", "webhook.secret"),
        BadRequest.json("unknown column", definition("col").replace("\"quantity\": {\"_gt\"", "\"colour\": {\"_gt\""),
            400, "invalid_condition", "fire.colour"),
        BadRequest.json("wrong-typed value", definition("typed").replace("100.5", "\"lots\""), 400,
            "invalid_condition", "fire.quantity._gt"),
        BadRequest.json("unknown operator", definition("op").replace("_gt", "_like"), 400, "invalid_condition",
            "fire.quantity._like"),
        BadRequest.json("bad clear condition", definition("clr").replace("\"_lte\": 90", "\"_lte\": true"), 400,
            "invalid_condition", "clear.quantity._lte"),
        BadRequest.json("source not discovered yet", definition("early").replace("positions", "orders"), 503,
            "source_not_ready", "source"),
        BadRequest.json("source not running", definition("silent").replace("positions", "ticks"), 503,
            "source_not_ready", "source"),
        BadRequest.json("duplicate name", definition("existing").replace("100.5", "7"), 409, "duplicate_name",
            "name"),
        BadRequest.json("overflowing exponent in a condition", definition("huge").replace("100.5", "1E+2147483648"),
            400, "invalid_condition", "fire.quantity._gt"),
        BadRequest.json("overflowing exponent elsewhere", definition("huge2").replace("{\"name\"",
            "{\"include_snapshot\": 1E+2147483648, \"name\""), 400, "invalid_field", "include_snapshot"),
        BadRequest.json("condition nested too deep", definition("deep").replace("\"fire\": {\"quantity\": {\"_gt\": 100.5}}",
            "\"fire\": " + "{\"_and\": [".repeat(490) + "{\"quantity\": {\"_gt\": 1}}" + "]}".repeat(490)), 400,
            // named where it first went past 32 levels: 16 _and arrays, each holding an object
            "invalid_condition", "fire" + "._and[0]".repeat(16)));
  }
}
