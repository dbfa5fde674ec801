package io.tycostream.triggers.app;

import io.tycostream.triggers.config.AdminConfig;
import io.tycostream.triggers.config.ClusterConfig;
import io.tycostream.triggers.config.DeliveryConfig;
import io.tycostream.triggers.config.LoadgenConfig;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.SourceType;
import io.tycostream.triggers.config.StoreConfig;
import io.tycostream.triggers.config.TriggersConfig;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies that the application wires trigger consumer, loadgen source and admin server so readiness reflects
 * flowing batches.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TriggersApplicationTest {

  @TempDir
  Path dataDir;

  private TriggersConfig config() {
    return new TriggersConfig(new AdminConfig("127.0.0.1", 0), List.of(
        new SourceConfig("positions", SourceType.LOADGEN, null, List.of("account"), new LoadgenConfig(5, 20, 2, 1),
            null)), dataDir, DeliveryConfig.defaults(), List.of(), false, StoreConfig.defaults(),
        ClusterConfig.defaults());
  }

  /** Verifies that /health/ready answers 200 with each source CONNECTED and its frontier advancing. */
  @Test
  void readyWhileBatchesFlow(Vertx vertx, VertxTestContext test) {
    // GIVEN the application started with one fast loadgen source on an ephemeral admin port
    TriggersApplication application = new TriggersApplication(vertx, config());
    WebClient client = WebClient.create(vertx);
    application.start()
        // WHEN readiness is polled until it answers 200, then asked again some ticks later
        .compose(started -> pollReady(vertx, client, application.adminPort(), 50))
        .compose(first -> delay(vertx, 200).compose(waited -> get(client, application.adminPort(), "/health/ready"))
            .map(second -> List.of(first, second)))
        .onComplete(test.succeeding(responses -> test.verify(() -> {
          // THEN both are 200 JSON with the source connected and the later frontier is higher
          HttpResponse<Buffer> first = responses.get(0);
          HttpResponse<Buffer> second = responses.get(1);
          assertThat(first.statusCode()).isEqualTo(200);
          assertThat(second.statusCode()).isEqualTo(200);
          assertThat(first.getHeader("content-type")).startsWith("application/json");
          JsonObject source = sourceCheck(second.bodyAsJsonObject(), "positions");
          assertThat(source.getString("status")).isEqualTo("UP");
          assertThat(source.getJsonObject("data").getString("state")).isEqualTo("CONNECTED");
          BigInteger later = new BigInteger(source.getJsonObject("data").getString("last_frontier"));
          String earlierText = sourceCheck(first.bodyAsJsonObject(), "positions").getJsonObject("data")
              .getString("last_frontier");
          if (earlierText != null) {
            assertThat(later).isGreaterThan(new BigInteger(earlierText));
          }
          application.stop().onComplete(test.succeedingThenComplete());
        })));
  }

  /** Verifies that /health/live answers 200, unknown paths 404 in the API error shape, and stop turns ready off. */
  @Test
  void servesLivenessErrorsAndNotReadyAfterStop(Vertx vertx, VertxTestContext test) {
    // GIVEN a started application
    TriggersApplication application = new TriggersApplication(vertx, config());
    WebClient client = WebClient.create(vertx);
    application.start()
        // WHEN liveness and an unknown path are requested
        .compose(started -> Future.all(get(client, application.adminPort(), "/health/live"),
            get(client, application.adminPort(), "/nope")))
        .onComplete(test.succeeding(both -> test.verify(() -> {
          HttpResponse<Buffer> live = both.resultAt(0);
          HttpResponse<Buffer> missing = both.resultAt(1);
          // THEN live is 200 UP and the unknown path is a JSON 404 error
          assertThat(live.statusCode()).isEqualTo(200);
          assertThat(live.bodyAsJsonObject().getString("status")).isEqualTo("UP");
          assertThat(missing.statusCode()).isEqualTo(404);
          JsonObject error = missing.bodyAsJsonObject().getJsonObject("error");
          assertThat(error.getString("code")).isEqualTo("not_found");
          assertThat(error.getString("message")).contains("/nope");
          assertThat(error.containsKey("field")).isTrue();
          // AND after stop the application is no longer ready
          application.stop().onComplete(test.succeeding(stopped -> test.verify(() -> {
            assertThat(application.isReady()).isFalse();
            test.completeNow();
          })));
        })));
  }

  private static Future<HttpResponse<Buffer>> get(WebClient client, int port, String path) {
    return client.get(port, "127.0.0.1", path).timeout(5_000).send();
  }

  /** Polls readiness every 20 ms until 200, at most {@code attempts} times (the source connects asynchronously). */
  private static Future<HttpResponse<Buffer>> pollReady(Vertx vertx, WebClient client, int port, int attempts) {
    return get(client, port, "/health/ready").compose(response -> {
      if (response.statusCode() == 200 || attempts <= 1) {
        return Future.succeededFuture(response);
      }
      return delay(vertx, 20).compose(waited -> pollReady(vertx, client, port, attempts - 1));
    });
  }

  private static Future<Void> delay(Vertx vertx, long millis) {
    return Future.future(promise -> vertx.setTimer(millis, id -> promise.complete()));
  }

  private static JsonObject sourceCheck(JsonObject health, String source) {
    JsonArray checks = health.getJsonArray("checks");
    for (int i = 0; i < checks.size(); i++) {
      JsonObject check = checks.getJsonObject(i);
      if ("sources".equals(check.getString("id"))) {
        JsonArray sources = check.getJsonArray("checks");
        for (int j = 0; j < sources.size(); j++) {
          if (source.equals(sources.getJsonObject(j).getString("id"))) {
            return sources.getJsonObject(j);
          }
        }
      }
    }
    throw new AssertionError("no check for source " + source + " in " + health.encode());
  }
}
