package io.tycostream.triggers.admin;

import static io.tycostream.triggers.admin.AdminApiFixture.await;
import static io.tycostream.triggers.admin.AdminApiFixture.definition;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.store.StoredTrigger;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Verifies {@code POST /api/v1/triggers/{name}/secret:rotate} over HTTP: answers, validation and what is stored. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SecretRotationApiTest {

  private static final String NEW_SECRET = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

  @TempDir
  Path dataDir;

  private AdminApiFixture api;
  private String firstSecret;

  @BeforeEach
  void startApiWithATrigger(Vertx vertx) {
    api = AdminApiFixture.start(vertx, dataDir, false, false);
    HttpResponse<Buffer> created = api.post(definition("risk_alert"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    firstSecret = created.bodyAsJsonObject().getString("secret");
  }

  @AfterEach
  void stopApi() {
    api.close();
  }

  /** Verifies that a rotation without a body generates a secret, shows it once and keeps the old one for 24 h. */
  @Test
  void rotationWithoutBodyGeneratesSecretWithDayOfOverlap() throws InterruptedException {
    // WHEN the secret is rotated without a body
    Instant before = Instant.now();
    HttpResponse<Buffer> rotated = rotate("risk_alert", null);

    // THEN the answer shows a new secret and when the old one stops signing, 24 hours from now
    assertThat(rotated.statusCode()).as(rotated.bodyAsString()).isEqualTo(200);
    JsonObject body = rotated.bodyAsJsonObject();
    assertThat(body.getString("name")).isEqualTo("risk_alert");
    assertThat(body.getString("secret")).startsWith("whsec_").isNotEqualTo(firstSecret);
    Instant expires = Instant.parse(body.getString("previous_secret_expires_at"));
    assertThat(expires).isBetween(before.plus(Duration.ofHours(24)), Instant.now().plus(Duration.ofHours(24)));

    // AND the store holds both, the trigger read does not show a secret, and the change is announced
    StoredTrigger stored = await(api.store.getTrigger("risk_alert")).orElseThrow();
    assertThat(stored.secret()).isEqualTo(body.getString("secret"));
    assertThat(stored.previousSecret()).isEqualTo(firstSecret);
    assertThat(api.get("/api/v1/triggers/risk_alert").bodyAsString()).doesNotContain("whsec_");
    assertThat(api.awaitChanges(2)).anySatisfy(change -> assertThat(change.getString("change"))
        .isEqualTo(TriggerRegistration.SECRET_ROTATED));
  }

  /** Verifies that a given secret with overlap 0 replaces the old one at once. */
  @Test
  void givenSecretWithoutOverlapReplacesAtOnce() {
    HttpResponse<Buffer> rotated = rotate("risk_alert",
        new JsonObject().put("secret", NEW_SECRET).put("overlap_seconds", 0));

    assertThat(rotated.statusCode()).as(rotated.bodyAsString()).isEqualTo(200);
    assertThat(rotated.bodyAsJsonObject().getString("secret")).isEqualTo(NEW_SECRET);
    assertThat(rotated.bodyAsJsonObject().getValue("previous_secret_expires_at")).isNull();
    StoredTrigger stored = await(api.store.getTrigger("risk_alert")).orElseThrow();
    assertThat(stored.secret()).isEqualTo(NEW_SECRET);
    assertThat(stored.previousSecret()).isNull();
  }

  /** Verifies that an unknown trigger is a 404 in the error shape. */
  @Test
  void unknownTriggerIsNotFound() {
    HttpResponse<Buffer> rotated = rotate("nope", null);

    assertThat(rotated.statusCode()).isEqualTo(404);
    assertThat(rotated.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("not_found");
    assertThat(rotated.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("name");
  }

  /** Verifies that an invalid secret or overlap is a 400 naming the field, and nothing changes. */
  @Test
  void invalidFieldsAreRefusedNamingTheField() {
    assertField(rotate("risk_alert", new JsonObject().put("secret", "whsec_short")), "invalid_field", "secret");
    assertField(rotate("risk_alert", new JsonObject().put("secret", 42)), "invalid_field", "secret");
    assertField(rotate("risk_alert", new JsonObject().put("overlap_seconds", -1)), "invalid_field",
        "overlap_seconds");
    assertField(rotate("risk_alert", new JsonObject().put("overlap_seconds", "24h")), "invalid_field",
        "overlap_seconds");
    assertField(rotate("risk_alert", new JsonObject().put("overlap", 60)), "unknown_field", "overlap");

    assertThat(await(api.store.getTrigger("risk_alert")).orElseThrow().secret()).isEqualTo(firstSecret);
  }

  /** Verifies that the literal {@code secret:rotate} is the route, not a path parameter after {@code secret}. */
  @Test
  void onlyTheLiteralRotatePathRotates() {
    HttpResponse<Buffer> other = api.post("/api/v1/triggers/risk_alert/secretXrotate", "application/json",
        Buffer.buffer("{}"));

    assertThat(other.statusCode()).isIn(404, 405);
    assertThat(await(api.store.getTrigger("risk_alert")).orElseThrow().secret()).isEqualTo(firstSecret);
  }

  private HttpResponse<Buffer> rotate(String name, JsonObject body) {
    String path = "/api/v1/triggers/" + name + "/secret:rotate";
    return body == null ? api.post(path, null, Buffer.buffer())
        : api.post(path, "application/json", Buffer.buffer(body.encode()));
  }

  private static void assertField(HttpResponse<Buffer> response, String code, String field) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("field")).isEqualTo(field);
    assertThat(error.getString("message")).doesNotContain("whsec_short");
  }
}
