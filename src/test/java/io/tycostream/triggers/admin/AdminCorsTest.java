package io.tycostream.triggers.admin;

import io.tycostream.triggers.config.AdminConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.admin.AdminApiFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies CORS on the API as a browser meets it: none at all by default, and with {@code admin.cors_allowed_origins}
 * only for the listed origins, echoed exactly and never with credentials.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdminCorsTest {

  private static final String CONSOLE = "https://console.example.com";
  private static final String OTHER = "https://evil.example";

  @TempDir
  Path dataDir;

  /** Verifies that without configuration neither a preflight nor a request gets any CORS header. */
  @Test
  void sendsNoCorsHeadersByDefault(Vertx vertx) {
    try (AdminApiFixture api = AdminApiFixture.start(vertx, dataDir, false, false)) {
      // WHEN a browser preflights a POST and sends a GET from another origin
      HttpResponse<Buffer> preflight = preflight(api, CONSOLE);
      HttpResponse<Buffer> get = await(api.request(HttpMethod.GET, TriggerRoutes.TRIGGERS)
          .putHeader("origin", CONSOLE).send());

      // THEN no answer allows the origin (the preflight is a 405 in the error shape)
      assertThat(preflight.statusCode()).isEqualTo(405);
      assertThat(preflight.getHeader("access-control-allow-origin")).isNull();
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.getHeader("access-control-allow-origin")).isNull();
    }
  }

  /** Verifies that a listed origin is allowed exactly, and any other origin gets no CORS header. */
  @Test
  void allowsOnlyTheListedOrigins(Vertx vertx) {
    AdminConfig config = new AdminConfig("127.0.0.1", 0, AdminConfig.DEFAULT_READINESS_GRACE_MS, List.of(),
        AdminConfig.DEFAULT_CLIENT_TIMEOUT_MS, AdminConfig.DEFAULT_REQUEST_TIMEOUT_MS, AdminConfig.DEFAULT_MAX_TRIGGERS,
        AdminConfig.DEFAULT_MAX_TRIGGERS_PER_SOURCE, List.of(CONSOLE));
    try (AdminApiFixture api = AdminApiFixture.start(vertx, dataDir, false, false, config)) {
      // WHEN the console's origin and another one preflight a POST, and both send a GET
      HttpResponse<Buffer> allowed = preflight(api, CONSOLE);
      HttpResponse<Buffer> refused = preflight(api, OTHER);
      HttpResponse<Buffer> allowedGet = await(api.request(HttpMethod.GET, TriggerRoutes.TRIGGERS)
          .putHeader("origin", CONSOLE).send());
      HttpResponse<Buffer> otherGet = await(api.request(HttpMethod.GET, TriggerRoutes.TRIGGERS)
          .putHeader("origin", OTHER).send());

      // THEN the console's preflight succeeds for exactly its origin, POST and content-type, without credentials
      assertThat(allowed.statusCode()).isBetween(200, 204);
      assertThat(allowed.getHeader("access-control-allow-origin")).isEqualTo(CONSOLE);
      assertThat(allowed.getHeader("access-control-allow-methods")).contains("POST");
      assertThat(allowed.getHeader("access-control-allow-headers")).containsIgnoringCase("content-type");
      assertThat(allowed.getHeader("access-control-allow-credentials")).isNotEqualTo("true");
      assertThat(allowedGet.getHeader("access-control-allow-origin")).isEqualTo(CONSOLE);
      // AND the other origin is never allowed
      assertThat(refused.getHeader("access-control-allow-origin")).isNull();
      assertThat(otherGet.getHeader("access-control-allow-origin")).isNull();
    }
  }

  private static HttpResponse<Buffer> preflight(AdminApiFixture api, String origin) {
    return await(api.request(HttpMethod.OPTIONS, TriggerRoutes.TRIGGERS)
        .putHeader("origin", origin)
        .putHeader("access-control-request-method", "POST")
        .putHeader("access-control-request-headers", "content-type")
        .send());
  }
}
