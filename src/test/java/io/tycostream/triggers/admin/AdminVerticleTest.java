package io.tycostream.triggers.admin;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.bus.SourceStatusJson;
import io.tycostream.triggers.config.AdminConfig;
import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.SourceFailure;
import io.tycostream.triggers.source.SourceState;
import io.tycostream.triggers.source.SourceStatus;
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

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Verifies that readiness follows the application's start-up and every source's state. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdminVerticleTest {

  private static final AdminConfig EPHEMERAL = new AdminConfig("127.0.0.1", 0);

  /** Verifies the readiness code for each source state and for an application still starting. */
  @Test
  void readyOnlyWhenStartedAndEverySourceLive(Vertx vertx, VertxTestContext test) {
    // GIVEN two sources whose reported states the test controls, and a start-up flag
    AtomicReference<SourceStatus> orders = new AtomicReference<>(status("orders", SourceState.CONNECTED, null));
    AtomicReference<SourceStatus> ticks = new AtomicReference<>(status("ticks", SourceState.STARTING, null));
    vertx.eventBus().consumer(BusAddresses.status("orders"), m -> m.reply(SourceStatusJson.toJson(orders.get())));
    vertx.eventBus().consumer(BusAddresses.status("ticks"), m -> m.reply(SourceStatusJson.toJson(ticks.get())));
    AtomicBoolean started = new AtomicBoolean(false);
    AdminVerticle admin = new AdminVerticle(EPHEMERAL, List.of("orders", "ticks"), started::get);
    WebClient client = WebClient.create(vertx);
    SourceFailure refused = new SourceFailure(FailureKind.TRANSIENT, "08006", "connection refused", Instant.now());

    vertx.deployVerticle(admin)
        // WHEN the application is still starting and one source is STARTING
        .compose(id -> ready(client, admin))
        .compose(starting -> {
          test.verify(() -> assertThat(starting.statusCode()).isEqualTo(503));
          started.set(true);
          return ready(client, admin);
        })
        // AND WHEN the application started but a source is still STARTING
        .compose(sourceStarting -> {
          test.verify(() -> {
            assertThat(sourceStarting.statusCode()).isEqualTo(503);
            assertThat(sourceStarting.bodyAsString()).contains("STARTING");
          });
          ticks.set(status("ticks", SourceState.RETRYING, refused));
          return ready(client, admin);
        })
        // AND WHEN that source is retrying after a failure
        .onComplete(test.succeeding(retrying -> test.verify(() -> {
          // THEN readiness is 200 and the body shows the state and the last failure
          assertThat(retrying.statusCode()).isEqualTo(200);
          JsonObject body = retrying.bodyAsJsonObject();
          assertThat(body.getString("status")).isEqualTo("UP");
          assertThat(body.encode()).contains("RETRYING").contains("connection refused").contains("CONNECTED");
          test.completeNow();
        })));
  }

  /** Verifies that a source that does not answer its status request makes readiness 503 instead of hanging. */
  @Test
  void notReadyWhenASourceDoesNotAnswer(Vertx vertx, VertxTestContext test) {
    // GIVEN a started application whose only source has no status consumer
    AdminVerticle admin = new AdminVerticle(EPHEMERAL, List.of("ghost"), () -> true);
    WebClient client = WebClient.create(vertx);

    vertx.deployVerticle(admin)
        // WHEN readiness is asked
        .compose(id -> ready(client, admin))
        .onComplete(test.succeeding(response -> test.verify(() -> {
          // THEN it is 503 naming the source
          assertThat(response.statusCode()).isEqualTo(503);
          assertThat(response.bodyAsString()).contains("ghost");
          test.completeNow();
        })));
  }

  private static Future<HttpResponse<Buffer>> ready(WebClient client, AdminVerticle admin) {
    return client.get(admin.actualPort(), "127.0.0.1", AdminVerticle.READY_PATH).timeout(5_000).send();
  }

  private static SourceStatus status(String source, SourceState state, SourceFailure failure) {
    return new SourceStatus(source, state, failure, null);
  }
}
