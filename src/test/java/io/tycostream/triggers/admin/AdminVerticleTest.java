package io.tycostream.triggers.admin;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.config.AdminConfig;
import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.SourceFailure;
import io.tycostream.triggers.source.SourceProgress;
import io.tycostream.triggers.source.SourceState;
import io.tycostream.triggers.source.SourceStatus;
import io.tycostream.triggers.source.SourceStatusJson;
import io.tycostream.triggers.testkit.ManualClock;
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

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Verifies that readiness follows the application's start-up and every source's state. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdminVerticleTest {

  private static final AdminConfig EPHEMERAL = new AdminConfig("127.0.0.1", 0);

  /**
   * Verifies the readiness code for an application still starting, for each source state, and for a source that
   * stopped committing frontiers for longer than the grace period: 503 with the reason, not 200 with the failure
   * hidden in the body.
   */
  @Test
  void readyOnlyWhenStartedAndEverySourceProgresses(Vertx vertx, VertxTestContext test) {
    // GIVEN two sources whose progress the test controls (a 30 s grace on a manual clock), and a start-up flag
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    SourceProgress orders = new SourceProgress("orders", Duration.ofSeconds(30), clock);
    SourceProgress ticks = new SourceProgress("ticks", Duration.ofSeconds(30), clock);
    orders.readerStatus(status("orders", SourceState.CONNECTED, null));
    vertx.eventBus().consumer(BusAddresses.status("orders"), m -> m.reply(SourceStatusJson.toJson(orders)));
    vertx.eventBus().consumer(BusAddresses.status("ticks"), m -> m.reply(SourceStatusJson.toJson(ticks)));
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
          ticks.readerStatus(status("ticks", SourceState.RETRYING, refused));
          return ready(client, admin);
        })
        // AND WHEN that source is retrying after a failure, within the grace period
        .compose(retrying -> {
          test.verify(() -> {
            // THEN readiness is 200 and the body shows the state and the last failure
            assertThat(retrying.statusCode()).isEqualTo(200);
            JsonObject body = retrying.bodyAsJsonObject();
            assertThat(body.getString("status")).isEqualTo("UP");
            assertThat(body.encode()).contains("RETRYING").contains("connection refused").contains("CONNECTED");
          });
          orders.committed(BigInteger.valueOf(1_000));
          clock.advance(Duration.ofSeconds(31));
          orders.committed(BigInteger.valueOf(2_000));
          return ready(client, admin);
        })
        // AND WHEN the retrying source has committed nothing for longer than the grace period
        .compose(stalled -> {
          test.verify(() -> {
            // THEN readiness is 503 with the reason, and the source that keeps committing stays ready
            assertThat(stalled.statusCode()).isEqualTo(503);
            assertThat(stalled.bodyAsString()).contains("no frontier committed").contains("connection refused");
            assertThat(checkOf(stalled.bodyAsJsonObject(), "orders").getString("status")).isEqualTo("UP");
          });
          ticks.readerStatus(status("ticks", SourceState.CONNECTED, refused));
          ticks.committed(BigInteger.valueOf(3_000));
          return ready(client, admin);
        })
        // AND WHEN it commits again, and later its commits fail for longer than the grace period
        .compose(recovered -> {
          test.verify(() -> assertThat(recovered.statusCode()).isEqualTo(200));
          ticks.commitFailed("database or disk is full");
          clock.advance(Duration.ofSeconds(31));
          orders.committed(BigInteger.valueOf(4_000));
          return ready(client, admin);
        })
        .onComplete(test.succeeding(storeFull -> test.verify(() -> {
          // THEN readiness is 503 saying the commits fail and why
          assertThat(storeFull.statusCode()).isEqualTo(503);
          assertThat(storeFull.bodyAsString()).contains("commits failing").contains("disk is full");
          test.completeNow();
        })));
  }

  private static JsonObject checkOf(JsonObject body, String source) {
    for (Object check : body.getJsonArray("checks")) {
      JsonObject group = (JsonObject) check;
      if (group.getJsonArray("checks") != null) {
        for (Object inner : group.getJsonArray("checks")) {
          if (source.equals(((JsonObject) inner).getString("id"))) {
            return (JsonObject) inner;
          }
        }
      }
    }
    throw new AssertionError("no check for " + source + " in " + body.encode());
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
