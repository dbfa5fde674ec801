package io.tycostream.triggers.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.tycostream.triggers.config.MaterializeConfig;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.TriggersConfig;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.secret.MasterKeyFile;
import io.tycostream.triggers.testkit.CapturedJsonLines;
import io.tycostream.triggers.testkit.TestApiKeys;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the service's log as an operator reads it with {@code logging.format: json}: over a whole flow (a trigger
 * created with its own secret, a webhook delivered, the secret rotated, an API key created, a wrong key refused)
 * every line is a JSON object with the standard fields, our bracketed context is in fields, an admin request's lines
 * carry its request id, and no secret appears anywhere: not the webhook secrets, the API keys, the bootstrap key,
 * the master key nor the source's database password.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogsEndToEndTest {

  private static final String WEBHOOK_SECRET = "whsec_" + Base64.getEncoder()
      .encodeToString("logs-test-webhook-secret-32-bytes!".getBytes(StandardCharsets.UTF_8));
  private static final String DATABASE_PASSWORD = "mz-password-that-must-not-be-logged";
  private static final String REQUEST_ID = "logs-test-request-1";

  @TempDir
  Path dataDir;

  private final Logger ours = (Logger) LoggerFactory.getLogger("io.tycostream");
  private Level oursBefore;
  private CapturedJsonLines log;
  private EmulatedService service;
  private WebClient client;

  @BeforeEach
  void setUp(Vertx vertx) {
    // our own DEBUG lines too: a secret must not leak at any level an operator may turn on
    oursBefore = ours.getLevel();
    ours.setLevel(Level.DEBUG);
    log = CapturedJsonLines.attach();
    service = EmulatedService.start(vertx, dataDir, LogsEndToEndTest::withDatabasePassword,
        EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("score", PgType.INT4));
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    client.close();
    service.close();
    log.close();
    ours.setLevel(oursBefore);
  }

  /** Verifies the fields of the lines and the request id of an admin request's lines. */
  @Test
  void linesAreJsonWithContextFieldsAndTheRequestId() {
    // GIVEN a running service, WHEN a trigger is created with a request id of the client's choosing
    awaitSourceReady();
    HttpResponse<Buffer> created = request("POST", "/api/v1/triggers", TestApiKeys.ADMIN, REQUEST_ID,
        trigger("score_alert"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);

    // THEN every line so far is a JSON object with the standard fields
    List<JsonObject> lines = log.objects();
    assertThat(lines).isNotEmpty().allSatisfy(line ->
        assertThat(line.fieldNames()).contains("timestamp", "level", "logger", "thread", "message"));
    // AND the creation's line carries its context as fields and the request's id
    JsonObject createdLine = lines.stream().filter(line -> line.getString("message").startsWith("trigger created [trigger: score_alert"))
        .findFirst().orElseThrow();
    assertThat(createdLine.getString("trigger")).isEqualTo("score_alert");
    assertThat(createdLine.getString("source")).isEqualTo(EmulatedService.SOURCE);
    assertThat(createdLine.getString("request_id")).isEqualTo(REQUEST_ID);
    assertThat(created.getHeader("x-request-id")).isEqualTo(REQUEST_ID);
    // AND lines logged outside any request (the source, the deliveries) carry none
    assertThat(lines).filteredOn(line -> line.getString("logger").contains(".source."))
        .isNotEmpty().allSatisfy(line -> assertThat(line.containsKey("request_id")).isFalse());

    // WHEN a request presents a wrong key
    HttpResponse<Buffer> refused = request("GET", "/api/v1/triggers", "tsk_wrong-key-0123456789abcdefghijkl",
        "logs-test-refused", null);

    // THEN its warning carries that request's id, and no other request's
    assertThat(refused.statusCode()).isEqualTo(401);
    JsonObject warning = log.objects().stream()
        .filter(line -> line.getString("message").startsWith("admin API key refused")).findFirst().orElseThrow();
    assertThat(warning.getString("level")).isEqualTo("WARN");
    assertThat(warning.getString("request_id")).isEqualTo("logs-test-refused");
    assertThat(warning.getString("reason")).isNotBlank();

    // WHEN a request asks for a trigger that does not exist
    HttpResponse<Buffer> missing = request("GET", "/api/v1/triggers/no_such_trigger", TestApiKeys.ADMIN,
        "logs-test-missing", null);

    // THEN its DEBUG line names the request both ways
    assertThat(missing.statusCode()).isEqualTo(404);
    JsonObject refusedLine = log.objects().stream()
        .filter(line -> line.getString("message").startsWith("admin request refused")
            && "logs-test-missing".equals(line.getString("request_id"))).findFirst().orElseThrow();
    assertThat(refusedLine.getString("request")).isEqualTo("logs-test-missing");
    assertThat(refusedLine.getString("status")).isEqualTo("404");
  }

  /** Verifies that none of the service's secrets appears in any line of a flow that handles each of them. */
  @Test
  void noSecretIsEverLogged() throws Exception {
    // GIVEN a trigger with a secret of its own, delivering to the receiver
    awaitSourceReady();
    HttpResponse<Buffer> created = request("POST", "/api/v1/triggers", TestApiKeys.ADMIN, null,
        trigger("secret_watch"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/secret_watch").getString("status")));
    service.emulator.insert(EmulatedService.SOURCE, 1, 150);
    awaitTrue(() -> !service.receiver.received().isEmpty());

    // WHEN its secret is rotated, an API key is created, and a wrong key and a wrong secret are sent
    HttpResponse<Buffer> rotated = request("POST", "/api/v1/triggers/secret_watch/secret:rotate", TestApiKeys.ADMIN,
        null, new JsonObject().put("overlap_seconds", 60));
    assertThat(rotated.statusCode()).as(rotated.bodyAsString()).isEqualTo(200);
    String rotatedSecret = rotated.bodyAsJsonObject().getString("secret");
    HttpResponse<Buffer> key = request("POST", "/api/v1/api-keys", TestApiKeys.ADMIN, null,
        new JsonObject().put("name", "ci").put("role", "read"));
    assertThat(key.statusCode()).as(key.bodyAsString()).isEqualTo(201);
    String apiKey = key.bodyAsJsonObject().getString("key");
    assertThat(request("GET", "/api/v1/triggers", apiKey, null, null).statusCode()).isEqualTo(200);
    assertThat(request("GET", "/api/v1/triggers", apiKey + "x", null, null).statusCode()).isEqualTo(401);
    assertThat(request("GET", "/api/v1/triggers", null, null, null).statusCode()).isEqualTo(401);
    service.emulator.insert(EmulatedService.SOURCE, 2, 150);
    awaitTrue(() -> service.receiver.received().size() >= 2);

    // THEN the log has the flow's lines, and not one secret in any of them
    String text = log.text();
    assertThat(text).contains("trigger secret rotated", "API key created", "admin API key refused");
    String masterKey = Files.readString(dataDir.resolve(MasterKeyFile.DEFAULT_FILE_NAME)).strip();
    assertThat(List.of(WEBHOOK_SECRET, rotatedSecret, apiKey, TestApiKeys.ADMIN, masterKey, DATABASE_PASSWORD))
        .allSatisfy(secret -> {
          assertThat(secret).isNotBlank();
          assertThat(text).doesNotContain(secret);
          // nor its base64 body alone (whsec_ secrets) or a long part of it
          assertThat(text).doesNotContain(secret.substring(secret.length() - 16));
        });
  }

  private void awaitSourceReady() {
    HttpResponse<Buffer> probe = service.createWhenSourceReady(trigger("readiness_probe").encode());
    assertThat(probe.statusCode()).as(probe.bodyAsString()).isEqualTo(201);
  }

  private JsonObject trigger(String name) {
    return new JsonObject()
        .put("name", name)
        .put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", service.receiver.url("/hooks/" + name))
            .put("secret", WEBHOOK_SECRET))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100)));
  }

  private HttpResponse<Buffer> request(String method, String path, String key, String requestId, JsonObject body) {
    var request = client.request(io.vertx.core.http.HttpMethod.valueOf(method), service.application.adminPort(),
        "127.0.0.1", path);
    if (key != null) {
      request.putHeader("authorization", "Bearer " + key);
    }
    if (requestId != null) {
      request.putHeader("x-request-id", requestId);
    }
    return await(body == null ? request.send()
        : request.putHeader("content-type", "application/json").sendBuffer(body.toBuffer()));
  }

  /** The emulated source with a database password, as a real one has (the emulator does not ask for it). */
  private static TriggersConfig withDatabasePassword(TriggersConfig config) {
    List<SourceConfig> sources = config.sources().stream().map(source -> {
      MaterializeConfig mz = source.materialize();
      return new SourceConfig(source.name(), source.type(), source.view(), source.keyColumns(), source.loadgen(),
          new MaterializeConfig(mz.host(), mz.port(), mz.database(), mz.user(), "MZ_PASSWORD", DATABASE_PASSWORD,
              mz.sslMode(), mz.cluster()));
    }).toList();
    return new TriggersConfig(config.admin(), sources, config.dataDir(), config.delivery(), config.triggers(),
        config.demoReceiver(), config.store(), config.cluster(), config.secrets(), config.alerts(), config.logging());
  }
}
