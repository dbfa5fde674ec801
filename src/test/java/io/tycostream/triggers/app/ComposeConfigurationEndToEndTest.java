package io.tycostream.triggers.app;

import io.tycostream.triggers.config.ConfigLoader;
import io.tycostream.triggers.config.TriggersConfig;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.store.postgres.EmbeddedPostgresServer;
import io.tycostream.triggers.testkit.TestApiKeys;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static io.tycostream.triggers.testkit.Blocking.pause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the Docker Compose stack's service side without Docker: the service starts on {@code conf/compose.yaml}
 * as shipped, on a real PostgreSQL, subscribed to the wire-level Materialize emulator holding the seeded view's
 * shape, with only the network addresses changed the way the stack's environment changes settings
 * ({@code TYCOSTREAM_*}); it answers {@code /health/ready}, accepts the demo trigger exactly as
 * {@code conf/compose-seed/demo-trigger.sh} sends it, and fires it when a customer's total passes 1000.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ComposeConfigurationEndToEndTest {

  @TempDir
  Path dataDir;

  private MaterializeEmulator emulator;
  private TriggersApplication application;
  private WebClient client;

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    if (application != null) {
      await(application.stop());
    }
    if (emulator != null) {
      await(emulator.stop());
    }
  }

  /** Verifies start, readiness, the seeded trigger's creation and its first FIRE. */
  @Test
  void composeConfigurationRunsTheDemoTrigger(Vertx vertx) throws IOException {
    // GIVEN Materialize with the seeded view's shape, and PostgreSQL
    emulator = await(MaterializeEmulator.start(vertx, new EmulatorOptions().setTickMs(20).setRetentionMs(600_000)));
    emulator.createTable("customer_totals", EmulatorColumn.of("customer", PgType.TEXT),
        EmulatorColumn.of("total", PgType.INT8), EmulatorColumn.of("orders", PgType.INT8));
    emulator.insert("customer_totals", "globex", 300L, 1L);
    PgConnectOptions database = EmbeddedPostgresServer.newDatabase();

    // WHEN the service starts on conf/compose.yaml, with the addresses of this machine instead of the stack's
    Map<String, String> env = new HashMap<>();
    // the store reads its password variable from the process environment, which a test cannot set: name one that
    // is always there (the embedded server trusts loopback and ignores the password)
    env.put("TYCOSTREAM_STORE__POSTGRES__PASSWORD_ENV", "PATH");
    env.put("PATH", System.getenv("PATH"));
    env.put("TYCOSTREAM_ADMIN__BOOTSTRAP_KEY", TestApiKeys.ADMIN);
    env.put("TYCOSTREAM_ADMIN__HOST", "127.0.0.1");
    env.put("TYCOSTREAM_ADMIN__PORT", "0");
    env.put("TYCOSTREAM_DATA_DIR", dataDir.toString());
    env.put("TYCOSTREAM_STORE__POSTGRES__HOST", database.getHost());
    env.put("TYCOSTREAM_STORE__POSTGRES__PORT", String.valueOf(database.getPort()));
    env.put("TYCOSTREAM_STORE__POSTGRES__DATABASE", database.getDatabase());
    env.put("TYCOSTREAM_STORE__POSTGRES__USER", database.getUser());
    env.put("TYCOSTREAM_SOURCES__0__MATERIALIZE__HOST", "127.0.0.1");
    env.put("TYCOSTREAM_SOURCES__0__MATERIALIZE__PORT", String.valueOf(emulator.port()));
    TriggersConfig config = ConfigLoader.load(Path.of("conf", "compose.yaml"), env);
    application = new TriggersApplication(vertx, config);
    await(application.start());
    client = WebClient.create(vertx);

    // THEN it becomes ready, as the stack's healthcheck waits for
    awaitTrue(() -> get("/health/ready").statusCode() == 200);

    // WHEN the seed job posts the demo trigger (retrying on 503 while the source reports its schema, as it does)
    JsonObject demoTrigger = demoTriggerOfTheSeedScript();
    HttpResponse<Buffer> created = post("/api/v1/triggers", demoTrigger);
    for (int tries = 0; created.statusCode() == 503 && tries < 200; tries++) {
      pause(50);
      created = post("/api/v1/triggers", demoTrigger);
    }

    // THEN it is created, and a customer passing 1000 fires it
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    awaitTrue(() -> "active".equals(get("/api/v1/triggers/big_customer").bodyAsJsonObject().getString("status")));
    emulator.insert("customer_totals", "acme", 1100L, 2L);
    awaitTrue(() -> {
      JsonArray events = get("/api/v1/triggers/big_customer/events").bodyAsJsonObject().getJsonArray("events");
      return events != null && events.stream().map(JsonObject.class::cast)
          .anyMatch(event -> "FIRE".equals(event.getString("event_type")) && event.toString().contains("acme"));
    });
  }

  /** The JSON body of {@code conf/compose-seed/demo-trigger.sh}, as the script sends it. */
  private static JsonObject demoTriggerOfTheSeedScript() throws IOException {
    String script = Files.readString(Path.of("conf", "compose-seed", "demo-trigger.sh"), StandardCharsets.UTF_8);
    int start = script.indexOf("trigger='") + "trigger='".length();
    return new JsonObject(script.substring(start, script.indexOf("}'", start) + 1));
  }

  private HttpResponse<Buffer> get(String path) {
    return await(client.get(application.adminPort(), "127.0.0.1", path)
        .putHeader("authorization", TestApiKeys.AUTHORIZATION).send());
  }

  private HttpResponse<Buffer> post(String path, JsonObject body) {
    return await(client.post(application.adminPort(), "127.0.0.1", path)
        .putHeader("authorization", TestApiKeys.AUTHORIZATION).sendJsonObject(body));
  }
}
