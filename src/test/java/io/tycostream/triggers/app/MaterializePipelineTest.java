package io.tycostream.triggers.app;

import io.tycostream.triggers.config.AdminConfig;
import io.tycostream.triggers.config.ClusterConfig;
import io.tycostream.triggers.config.DeliveryConfig;
import io.tycostream.triggers.config.MaterializeConfig;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.SourceType;
import io.tycostream.triggers.config.StoreConfig;
import io.tycostream.triggers.config.TriggersConfig;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies that a configured {@code materialize} source runs through the whole application against the wire
 * emulator: the reader connects with the mapped options and its batches reach the trigger consumer.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MaterializePipelineTest {

  @TempDir
  Path dataDir;


  /** Verifies that readiness turns 200 with the materialize source CONNECTED at the emulator's frontier. */
  @Test
  void materializeSourceBecomesReadyAndStreams(Vertx vertx, VertxTestContext test) {
    // GIVEN an emulator with an orders view holding two rows, and a config pointing a source at it
    MaterializeEmulator emulator = await(MaterializeEmulator.start(vertx, new EmulatorOptions().setTickMs(50)));
    emulator.createView("orders", EmulatorColumn.of("id", PgType.INT8), EmulatorColumn.of("qty", PgType.NUMERIC));
    emulator.insert("orders", 1L, new BigDecimal("10"));
    emulator.insert("orders", 2L, new BigDecimal("20"));
    TriggersConfig config = new TriggersConfig(new AdminConfig("127.0.0.1", 0), List.of(new SourceConfig("orders",
        SourceType.MATERIALIZE, "orders", List.of("id"), null, new MaterializeConfig("127.0.0.1", emulator.port(),
        "materialize", "materialize", null, null, "disable", null))), dataDir, DeliveryConfig.defaults(), List.of(),
        false, StoreConfig.defaults(), ClusterConfig.defaults());
    TriggersApplication application = new TriggersApplication(vertx, config);
    WebClient client = WebClient.create(vertx);

    // WHEN the application starts and readiness is polled
    application.start()
        .compose(started -> pollUntilStreaming(vertx, client, application.adminPort(), 200))
        .onComplete(test.succeeding(source -> test.verify(() -> {
          // THEN the source is connected and has handed at least the snapshot batch on
          assertThat(source.getString("state")).isEqualTo("CONNECTED");
          assertThat(Long.parseLong(source.getString("last_frontier"))).isGreaterThan(emulator.since("orders"));
          application.stop().compose(stopped -> emulator.stop()).onComplete(test.succeedingThenComplete());
        })));
  }

  /** Polls every 25 ms until readiness is 200 and the source reports a frontier; at most {@code attempts} times. */
  private static Future<JsonObject> pollUntilStreaming(Vertx vertx, WebClient client, int port, int attempts) {
    return client.get(port, "127.0.0.1", "/health/ready").timeout(5_000).send().compose(response -> {
      JsonObject source = orders(response);
      if (response.statusCode() == 200 && source != null && source.getString("last_frontier") != null) {
        return Future.succeededFuture(source);
      }
      if (attempts <= 1) {
        return Future.failedFuture("not streaming: " + response.statusCode() + " " + response.bodyAsString());
      }
      return Future.<Void>future(promise -> vertx.setTimer(25, id -> promise.complete()))
          .compose(waited -> pollUntilStreaming(vertx, client, port, attempts - 1));
    });
  }

  private static JsonObject orders(HttpResponse<Buffer> response) {
    JsonObject body = response.bodyAsJsonObject();
    for (Object check : body.getJsonArray("checks")) {
      JsonObject group = (JsonObject) check;
      if ("sources".equals(group.getString("id"))) {
        for (Object source : group.getJsonArray("checks")) {
          JsonObject entry = (JsonObject) source;
          if ("orders".equals(entry.getString("id"))) {
            return entry.getJsonObject("data");
          }
        }
      }
    }
    return null;
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
