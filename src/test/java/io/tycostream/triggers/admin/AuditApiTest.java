package io.tycostream.triggers.admin;

import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.definition.TriggerDefinitionParser.Checks;
import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.admin.AdminApiFixture.await;
import static io.tycostream.triggers.admin.AdminApiFixture.definition;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the audit log over HTTP: every change through the API (trigger create, secret rotation, delete, API key
 * create and revoke) and every configured trigger is listed newest first with its actor, request id and the target
 * before and after, never with a secret or key; filters and paging; admin role only.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuditApiTest {

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

  private HttpResponse<Buffer> send(HttpMethod method, String path, String requestId, String json) {
    var request = api.request(method, path).putHeader(RequestIds.HEADER, requestId);
    return json == null ? await(request.send())
        : await(request.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(json)));
  }

  private JsonObject audit(String query) {
    HttpResponse<Buffer> response = api.get("/api/v1/audit" + query);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  /**
   * Verifies that each change is recorded with its actor, action, target, request id and before/after, newest
   * first, and that neither the webhook secrets nor the API key appear anywhere in the log.
   */
  @Test
  void recordsEveryChangeWithActorAndRequestIdAndNoSecret() {
    // GIVEN a trigger created, its secret rotated and the trigger deleted, an API key created and revoked, and a
    // trigger created from the configuration
    HttpResponse<Buffer> created = send(HttpMethod.POST, TriggerRoutes.TRIGGERS, "req-create", definition("risk"));
    assertThat(created.statusCode()).isEqualTo(201);
    HttpResponse<Buffer> rotated = send(HttpMethod.POST, "/api/v1/triggers/risk/secret:rotate", "req-rotate",
        "{\"overlap_seconds\": 60}");
    assertThat(rotated.statusCode()).as(rotated.bodyAsString()).isEqualTo(200);
    assertThat(send(HttpMethod.DELETE, "/api/v1/triggers/risk", "req-delete", null).statusCode()).isEqualTo(204);
    HttpResponse<Buffer> key = send(HttpMethod.POST, ApiAuthHandler.API_KEYS, "req-key",
        "{\"name\": \"ci\", \"role\": \"write\"}");
    assertThat(key.statusCode()).isEqualTo(201);
    assertThat(send(HttpMethod.DELETE, ApiAuthHandler.API_KEYS + "/ci", "req-revoke", null).statusCode())
        .isEqualTo(204);
    await(new ConfiguredTriggers(api.vertx, api.store, AdminApiFixture.SOURCES, WebhookTargetPolicy.strict(),
        Duration.ofSeconds(5)).ensure(List.of(TriggerDefinitionParser.parseRequest(definition("from_config"),
        Checks.NONE))));

    // WHEN the audit log is read
    String log = api.get("/api/v1/audit").bodyAsString();
    List<JsonObject> entries = new ArrayList<>();
    new JsonObject(log).getJsonArray("entries").forEach(entry -> entries.add((JsonObject) entry));

    // THEN it lists the six changes, newest first, with who made them and in which request, after the configured
    // admin key stored at the start
    assertThat(entries).extracting(e -> e.getString("action")).containsExactly("trigger.create", "api_key.delete",
        "api_key.create", "trigger.delete", "trigger.secret.rotate", "trigger.create", "api_key.create");
    assertThat(entries).extracting(e -> e.getString("target"))
        .containsExactly("from_config", "ci", "ci", "risk", "risk", "risk", "bootstrap");
    assertThat(entries).extracting(e -> e.getString("actor"))
        .containsExactly("config", "bootstrap", "bootstrap", "bootstrap", "bootstrap", "bootstrap", "config");
    assertThat(entries).extracting(e -> e.getValue("request_id"))
        .containsExactly(null, "req-revoke", "req-key", "req-delete", "req-rotate", "req-create", null);
    assertThat(entries.get(6).getJsonObject("after").getString("role")).isEqualTo("admin");
    // AND the trigger's state before and after each change
    JsonObject creation = entries.get(5);
    assertThat(creation.getValue("before")).isNull();
    assertThat(creation.getJsonObject("after").getString("source")).isEqualTo("positions");
    assertThat(creation.getJsonObject("after").getJsonObject("webhook").getString("url"))
        .isEqualTo("https://hooks.example.com/risk");
    // (a trigger from the configuration likewise: before nothing, after the trigger as created by config)
    assertThat(entries.get(0).getValue("before")).isNull();
    assertThat(entries.get(0).getJsonObject("after").getString("name")).isEqualTo("from_config");
    assertThat(entries.get(0).getJsonObject("after").getString("created_by")).isEqualTo("config");
    assertThat(entries.get(0).getJsonObject("after").getJsonObject("fire")).isNotNull();
    assertThat(entries.get(3).getJsonObject("before").getString("name")).isEqualTo("risk");
    assertThat(entries.get(3).getValue("after")).isNull();
    assertThat(entries.get(4).getJsonObject("after").getString("secret")).isEqualTo(SecretRedaction.REDACTED);
    assertThat(entries.get(4).getJsonObject("after").getString("previous_secret_expires_at")).isNotNull();
    assertThat(entries.get(2).getJsonObject("after").getString("role")).isEqualTo("write");
    // AND no secret and no key is anywhere in the log
    String secret = created.bodyAsJsonObject().getString("secret");
    String newSecret = rotated.bodyAsJsonObject().getString("secret");
    String apiKey = key.bodyAsJsonObject().getString("key");
    assertThat(List.of(secret, newSecret, apiKey)).allSatisfy(value -> assertThat(value).isNotBlank());
    assertThat(log).doesNotContain(secret).doesNotContain(newSecret).doesNotContain(apiKey)
        .doesNotContain("whsec_");
  }

  /** Verifies the target, actor and action filters, paging with the cursor, and the 400 answers. */
  @Test
  void filtersAndPagesTheLog() {
    // GIVEN three triggers created and one deleted
    for (String name : List.of("a", "b", "c")) {
      assertThat(api.post(definition(name)).statusCode()).isEqualTo(201);
    }
    assertThat(api.delete("/api/v1/triggers/b").statusCode()).isEqualTo(204);

    // WHEN filtered, and paged one at a time
    List<String> targetB = actions(audit("?target=b"));
    List<String> deletes = targets(audit("?action=trigger.delete"));
    List<String> byConfig = targets(audit("?actor=config"));
    List<String> paged = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = audit("?limit=1" + (cursor == null ? "" : "&cursor=" + cursor));
      paged.addAll(targets(page));
      cursor = page.getString("next_cursor");
    } while (cursor != null);

    // THEN each filter answers its entries, and the pages hold every entry once, newest first
    assertThat(targetB).containsExactly("trigger.delete", "trigger.create");
    assertThat(deletes).containsExactly("b");
    assertThat(byConfig).containsExactly("bootstrap");
    assertThat(paged).containsExactly("b", "c", "b", "a", "bootstrap");
    // AND bad paging values are 400 naming the parameter
    assertThat(api.get("/api/v1/audit?limit=0").bodyAsJsonObject().getJsonObject("error").getString("field"))
        .isEqualTo("limit");
    HttpResponse<Buffer> badCursor = api.get("/api/v1/audit?cursor=" + PageCursor.after("a"));
    assertThat(badCursor.statusCode()).isEqualTo(400);
    assertThat(badCursor.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("cursor");
  }

  /** Verifies that a key without the admin role cannot read the audit log. */
  @Test
  void needsTheAdminRole() {
    // GIVEN a write key
    HttpResponse<Buffer> created = api.post(ApiAuthHandler.API_KEYS, "application/json",
        Buffer.buffer("{\"name\": \"writer\", \"role\": \"write\"}"));
    String writerKey = created.bodyAsJsonObject().getString("key");

    // WHEN it reads the audit log THEN it is refused 403
    HttpResponse<Buffer> refused = await(api.request(HttpMethod.GET, "/api/v1/audit")
        .putHeader("authorization", "Bearer " + writerKey).send());
    assertThat(refused.statusCode()).isEqualTo(403);
  }

  private static List<String> actions(JsonObject page) {
    return page.getJsonArray("entries").stream().map(e -> ((JsonObject) e).getString("action")).toList();
  }

  private static List<String> targets(JsonObject page) {
    return page.getJsonArray("entries").stream().map(e -> ((JsonObject) e).getString("target")).toList();
  }
}
