package io.tycostream.triggers.admin;

import io.tycostream.triggers.config.AdminConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.admin.AdminApiFixture.definition;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the trigger limits over HTTP ({@code admin.max_triggers}, {@code admin.max_triggers_per_source}): a
 * creation beyond one is answered 409 {@code limit_reached} naming the limit and its config field, and deleting a
 * trigger makes room again.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TriggerLimitsApiTest {

  @TempDir
  Path dataDir;

  /** Verifies the per-source limit, and that a deletion makes room for one more. */
  @Test
  void refusesATriggerBeyondThePerSourceLimit(Vertx vertx) {
    // GIVEN at most 2 triggers per source (and 10 in all), and 2 triggers on positions
    try (AdminApiFixture api = AdminApiFixture.start(vertx, dataDir, false, false, limits(10, 2))) {
      assertThat(api.post(definition("a")).statusCode()).isEqualTo(201);
      assertThat(api.post(definition("b")).statusCode()).isEqualTo(201);

      // WHEN a third is created
      HttpResponse<Buffer> refused = api.post(definition("c"));

      // THEN it is answered 409 limit_reached on field source, naming the setting, and nothing is stored
      JsonObject error = errorOf(refused, 409);
      assertThat(error.getString("code")).isEqualTo("limit_reached");
      assertThat(error.getString("field")).isEqualTo("source");
      assertThat(error.getString("message")).contains("admin.max_triggers_per_source = 2");
      assertThat(api.get(TriggerRoutes.TRIGGERS + "/c").statusCode()).isEqualTo(404);
      // AND once one is deleted, it can be created
      assertThat(api.delete(TriggerRoutes.TRIGGERS + "/a").statusCode()).isEqualTo(204);
      assertThat(api.post(definition("c")).statusCode()).isEqualTo(201);
    }
  }

  /** Verifies the total limit. */
  @Test
  void refusesATriggerBeyondTheTotalLimit(Vertx vertx) {
    // GIVEN at most 1 trigger in all and one trigger
    try (AdminApiFixture api = AdminApiFixture.start(vertx, dataDir, false, false, limits(1, 10))) {
      assertThat(api.post(definition("a")).statusCode()).isEqualTo(201);

      // WHEN another is created THEN it is answered 409 limit_reached without a field, naming the setting
      JsonObject error = errorOf(api.post(definition("b")), 409);
      assertThat(error.getString("code")).isEqualTo("limit_reached");
      assertThat(error.getValue("field")).isNull();
      assertThat(error.getString("message")).contains("admin.max_triggers = 1");
    }
  }

  private static AdminConfig limits(int total, int perSource) {
    return new AdminConfig("127.0.0.1", 0, AdminConfig.DEFAULT_READINESS_GRACE_MS, List.of(),
        AdminConfig.DEFAULT_CLIENT_TIMEOUT_MS, AdminConfig.DEFAULT_REQUEST_TIMEOUT_MS, total, perSource, List.of());
  }

  private static JsonObject errorOf(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    return response.bodyAsJsonObject().getJsonObject("error");
  }
}
