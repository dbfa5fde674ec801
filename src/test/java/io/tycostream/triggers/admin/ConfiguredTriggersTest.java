package io.tycostream.triggers.admin;

import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.definition.TriggerDefinitionParser.Checks;
import io.tycostream.triggers.definition.TriggerDefinitionParser.ParsedTrigger;
import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.store.NewTrigger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.admin.AdminApiFixture.await;
import static io.tycostream.triggers.admin.AdminApiFixture.definition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verifies that triggers from the configuration are created once, with the API's checks and patience for sources. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfiguredTriggersTest {

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

  /** Verifies that a missing trigger is created and announced, and an existing one is left exactly as stored. */
  @Test
  void createsMissingTriggersAndKeepsExistingOnes() throws InterruptedException {
    // GIVEN a stored trigger "kept" with its own definition
    String storedDefinition = TriggerDefinitionParser.parse(definition("kept")).toJson();
    await(api.store.createTrigger(new NewTrigger("kept", "positions", storedDefinition,
        "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")));

    // WHEN the configuration asks for "kept" (differently) and "added"
    await(configured(Duration.ofMillis(500)).ensure(List.of(
        parsed(definition("kept").replace("100.5", "1")), parsed(definition("added")))));

    // THEN "added" exists, authored by the configuration, and was announced, and "kept" is unchanged
    assertThat(await(api.store.getTrigger("added")).orElseThrow().createdBy()).isEqualTo("config");
    assertThat(await(api.store.getTrigger("kept")).orElseThrow().definitionJson()).isEqualTo(storedDefinition);
    assertThat(api.awaitChanges(1)).containsExactly(new JsonObject()
        .put("name", "added").put("source", "positions").put("change", "created"));
  }

  /** Verifies that a trigger on a source that is still discovering its schema is created once the schema is known. */
  @Test
  void waitsForTheSourceSchema(Vertx vertx) {
    // GIVEN a source "late" whose schema becomes known only after 600 ms
    vertx.setTimer(600, id -> vertx.eventBus().consumer(BusAddresses.sourceSchema("late"),
        m -> m.reply(AdminApiFixture.SCHEMA)));
    ConfiguredTriggers configured = new ConfiguredTriggers(vertx, api.store,
        new TriggerRegistration(vertx, api.store, List.of("late"), WebhookTargetPolicy.strict()), Duration.ofMillis(100), Duration.ofSeconds(10));

    // WHEN a trigger on it is ensured
    await(configured.ensure(List.of(parsed(definition("patient").replace("positions", "late")))));

    // THEN it was created
    assertThat(await(api.store.getTrigger("patient"))).isPresent();
  }

  /** Verifies that ensure gives up after its patience when the source never discovers its schema. */
  @Test
  void givesUpWhenTheSourceNeverAnswers() {
    // GIVEN a source that never discovers its schema and a patience of 400 ms
    ConfiguredTriggers configured = configured(Duration.ofMillis(400));

    // WHEN a trigger on it is ensured, THEN it fails naming the trigger and the reason, and nothing is stored
    Future<Void> ensured = configured.ensure(List.of(parsed(definition("hopeless").replace("positions", "orders"))));
    assertThatThrownBy(() -> ensured.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("configured trigger 'hopeless'")
        .hasMessageContaining("source_not_ready");
    assertThat(await(api.store.getTrigger("hopeless"))).isEmpty();
  }

  /** Verifies that configured triggers get the API's checks: a bad condition or a loopback target fails ensure. */
  @Test
  void appliesTheSameChecksAsTheApi() {
    // GIVEN a trigger with an unknown column and one with a loopback webhook, private targets not allowed
    ConfiguredTriggers configured = configured(Duration.ofMillis(400));
    ParsedTrigger badColumn = parsed(definition("bad_column").replace("\"quantity\": {\"_gt\"", "\"size\": {\"_gt\""));
    ParsedTrigger loopback = parsed(definition("loopback").replace("https://hooks.example.com", "http://127.0.0.1:8080"));

    // WHEN each is ensured, THEN each fails naming the field, and neither is stored
    assertThatThrownBy(() -> await(configured.ensure(List.of(badColumn))))
        .hasMessageContaining("invalid_condition").hasMessageContaining("fire.size");
    assertThatThrownBy(() -> await(configured.ensure(List.of(loopback))))
        .hasMessageContaining("target_not_allowed").hasMessageContaining("webhook.url");
    assertThat(api.list().getJsonArray("triggers")).isEmpty();
  }

  private ConfiguredTriggers configured(Duration patience) {
    return new ConfiguredTriggers(api.vertx, api.store,
        new TriggerRegistration(api.vertx, api.store, AdminApiFixture.SOURCES, WebhookTargetPolicy.strict()), Duration.ofMillis(100),
        patience);
  }

  private static ParsedTrigger parsed(String json) {
    return TriggerDefinitionParser.parseRequest(json, Checks.NONE);
  }
}
