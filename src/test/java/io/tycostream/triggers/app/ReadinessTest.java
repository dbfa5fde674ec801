package io.tycostream.triggers.app;

import io.tycostream.triggers.config.AdminConfig;
import io.tycostream.triggers.config.ClusterConfig;
import io.tycostream.triggers.config.DeliveryConfig;
import io.tycostream.triggers.config.MaterializeConfig;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.SourceType;
import io.tycostream.triggers.config.StoreConfig;
import io.tycostream.triggers.config.TriggersConfig;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
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
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies that {@code /health/ready} is honest: 503 with the reason once a source could not make progress for
 * longer than {@code admin.readiness_grace_ms} (its view dropped, its stream stalled as in a partition), and 200 again
 * once it commits frontiers again.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadinessTest {

  private static final long GRACE_MS = 1_500;

  @TempDir
  Path dataDir;

  private MaterializeEmulator emulator;
  private TriggersApplication application;
  private WebClient client;

  /** GIVEN an emulator with an orders view, and the application reading it with a 1.5 s readiness grace. */
  @BeforeEach
  void start(Vertx vertx) {
    emulator = await(MaterializeEmulator.start(vertx, new EmulatorOptions().setTickMs(50).setRetentionMs(60_000)));
    emulator.createView("orders", EmulatorColumn.of("id", PgType.INT8), EmulatorColumn.of("qty", PgType.INT8));
    emulator.insert("orders", 1L, 10L);
    TriggersConfig config = new TriggersConfig(new AdminConfig("127.0.0.1", 0, GRACE_MS), List.of(
        new SourceConfig("orders", SourceType.MATERIALIZE, "orders", List.of("id"), null,
            new MaterializeConfig("127.0.0.1", emulator.port(), "materialize", "materialize", null, null, "disable",
                null))), dataDir, DeliveryConfig.defaults(), List.of(), false, StoreConfig.defaults(),
        ClusterConfig.defaults());
    application = new TriggersApplication(vertx, config);
    await(application.start());
    client = WebClient.create(vertx);
    awaitTrue(() -> ready().statusCode() == 200);
  }

  @AfterEach
  void stop() {
    await(application.stop());
    await(emulator.stop());
  }

  /** Verifies that a dropped view makes readiness 503 naming the failure once the grace period has passed. */
  @Test
  void notReadyOnceTheViewIsGoneForLongerThanTheGrace() {
    // WHEN the view is dropped
    emulator.drop("orders");

    // THEN readiness turns 503 with the reason in the body (within the grace period plus a margin)
    awaitTrue(() -> ready().statusCode() == 503, Duration.ofMillis(GRACE_MS + 10_000));
    String body = ready().bodyAsString();
    assertThat(body).contains("no frontier committed").contains("object_dropped").contains("orders");
  }

  /** Verifies that a stalled stream (no progress, as behind a partition) is 503, and 200 again once it flows. */
  @Test
  void notReadyWhileTheStreamStallsAndReadyAgainAfter() {
    // WHEN the view's progress stalls (a replica restart, a partition)
    emulator.pauseProgress("orders");

    // THEN readiness turns 503 saying how long nothing was committed
    awaitTrue(() -> ready().statusCode() == 503, Duration.ofMillis(GRACE_MS + 10_000));
    assertThat(ready().bodyAsString()).contains("no frontier committed for");

    // AND WHEN progress resumes, readiness is 200 again
    emulator.resumeProgress("orders");
    awaitTrue(() -> ready().statusCode() == 200, Duration.ofSeconds(30));
  }

  private HttpResponse<Buffer> ready() {
    return await(client.get(application.adminPort(), "127.0.0.1", "/health/ready").timeout(5_000).send());
  }
}
