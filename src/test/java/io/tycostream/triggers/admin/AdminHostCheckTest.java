package io.tycostream.triggers.admin;

import static io.tycostream.triggers.testkit.Blocking.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.config.AdminConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Verifies the {@code Host} check of the admin API (DNS rebinding: a page on another name must not reach the API from
 * a browser): the API answers only its allowed names, with a 421 in the error shape otherwise, while health endpoints
 * answer any name. Against the real server on loopback; the API routes are absent here (no store), so a request the
 * check lets through is answered 404 by the router.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdminHostCheckTest {

  private WebClient client;

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
  }

  /** Verifies the default names: loopback and the bind address pass, any other name is refused. */
  @Test
  void byDefaultAnswersOnlyLoopbackNames(Vertx vertx) {
    // GIVEN the admin server on its defaults
    int port = start(vertx, new AdminConfig("127.0.0.1", 0));

    // WHEN the API is asked under other names THEN they are refused with 421 in the error shape
    for (String host : List.of("evil.example.com", "attacker.localhost.example", "10.0.0.5")) {
      HttpResponse<Buffer> refused = get(port, host + ":" + port, "/api/v1/triggers");
      assertThat(refused.statusCode()).as(host).isEqualTo(421);
      assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("misdirected_request");
      assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("message")).contains(host.split(":")[0]);
    }
    // AND under the loopback names they pass the check
    for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port)) {
      assertThat(get(port, host, "/api/v1/triggers").statusCode()).as(host).isEqualTo(404);
    }
    // AND health answers whatever the name (probes use the pod's address)
    assertThat(get(port, "evil.example.com", "/health/live").statusCode()).isEqualTo(200);
  }

  /** Verifies configured names replace the defaults, and {@code *} turns the check off. */
  @Test
  void configuredNamesReplaceTheDefaults(Vertx vertx) {
    // GIVEN a server allowing only api.internal, and one allowing any name
    int only = start(vertx, new AdminConfig("127.0.0.1", 0, AdminConfig.DEFAULT_READINESS_GRACE_MS,
        List.of("api.internal")));
    int any = start(vertx, new AdminConfig("127.0.0.1", 0, AdminConfig.DEFAULT_READINESS_GRACE_MS, List.of("*")));

    // WHEN each is asked under several names THEN the first answers only api.internal, the second any
    assertThat(get(only, "api.internal:" + only, "/api/v1/triggers").statusCode()).isEqualTo(404);
    assertThat(get(only, "localhost:" + only, "/api/v1/triggers").statusCode()).isEqualTo(421);
    assertThat(get(any, "evil.example.com", "/api/v1/triggers").statusCode()).isEqualTo(404);
  }

  private int start(Vertx vertx, AdminConfig config) {
    AdminVerticle admin = new AdminVerticle(config, List.of(), () -> true);
    await(vertx.deployVerticle(admin));
    if (client == null) {
      client = WebClient.create(vertx);
    }
    return admin.actualPort();
  }

  private HttpResponse<Buffer> get(int port, String hostHeader, String path) {
    return await(client.get(port, "127.0.0.1", path).putHeader("Host", hostHeader).send());
  }
}
