package io.tycostream.triggers.app;

import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.testkit.CapturedLog;
import io.tycostream.triggers.testkit.JsonFuzzer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the running service's admin API as an outside fuzzer would: seeded mutations of every documented request
 * body ({@link JsonFuzzer}), sent to every route that takes one, and odd query parameters and names on the read
 * routes. Every answer is below 500 and, when refused, in the one JSON error shape; nothing is logged at ERROR and no
 * line carries a stack trace; afterwards the service still creates, lists and is ready. The seed is printed and can
 * be set with {@code -Dfuzz.seed}, the number of requests with {@code -Dfuzz.requests}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class AdminApiFuzzTest {

  private static final long SEED = Long.getLong("fuzz.seed", 20_261_201L);
  private static final int REQUESTS = Integer.getInteger("fuzz.requests", 1_500);
  private static final String BASE = "base";
  private static final List<String> KEYS = List.of("name", "source", "webhook", "url", "secret", "fire", "clear",
      "params", "include_snapshot", "description", "metadata", "fields", "computed", "retry", "max_attempts",
      "initial_delay", "max_delay", "jitter", "max_age", "timeout", "ttl", "rate_limit", "per_second", "burst",
      "ordering", "cooldown", "mode", "enabled", "alert_url", "client_certificate", "deliver_if", "score", "id",
      "_gt", "_gte", "_lt", "_lte", "_eq", "_neq", "_in", "_nin", "_and", "_or", "_not", "_is_null", "_param",
      "status", "from", "to", "overlap_seconds", "role", "expires_at", "limit");
  private static final List<String> LIST_ROUTES = List.of("/api/v1/triggers", "/api/v1/events", "/api/v1/audit",
      "/api/v1/triggers/" + BASE + "/events", "/api/v1/triggers/" + BASE + "/matches", "/api/v1/api-keys");
  private static final List<String> LIST_PARAMETERS = List.of("limit", "cursor", "status", "source", "enabled",
      "label", "type", "key", "from", "to", "trigger");

  @TempDir
  Path dataDir;

  private EmulatedService service;

  /** One route that takes a body, with the documented bodies its mutations start from. */
  private record BodyRoute(HttpMethod method, String path, List<JsonObject> seeds) {
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  /** Verifies that no mutated request gets a 5xx, an answer outside the error shape, or a logged stack trace. */
  @Test
  void mutatedRequestsAreRefusedCleanlyAndChangeNothingElse(Vertx vertx) {
    // GIVEN the service with one trigger, and the documented bodies of every route that takes one
    service = EmulatedService.start(vertx, dataDir, EmulatorColumn.of("id", PgType.INT4),
        EmulatorColumn.of("score", PgType.INT4));
    String url = service.receiver.url("/hooks");
    assertThat(service.createWhenSourceReady(trigger(BASE, url).encode()).statusCode()).isEqualTo(201);
    List<BodyRoute> routes = bodyRoutes(url);
    JsonFuzzer fuzzer = new JsonFuzzer(SEED, KEYS);
    List<String> failures = new ArrayList<>();
    Map<Integer, Integer> statuses = new TreeMap<>();

    try (CapturedLog log = CapturedLog.attach()) {
      // WHEN mutated bodies and odd query parameters are sent, one at a time
      for (int i = 0; i < REQUESTS; i++) {
        String what;
        HttpResponse<Buffer> response;
        int kind = fuzzer.nextInt(10);
        if (kind < 3) {
          String path = kind == 0
              ? "/api/v1/triggers/" + URLEncoder.encode(fuzzer.oddText(), StandardCharsets.UTF_8)
                  + fuzzer.pick(List.of("", "/events", "/matches", "/events/x", ":enable", "/secret:rotate"))
              : fuzzer.pick(LIST_ROUTES) + "?" + fuzzer.pick(LIST_PARAMETERS) + "="
                  + URLEncoder.encode(fuzzer.oddText(), StandardCharsets.UTF_8);
          what = "GET " + path;
          response = service.send(HttpMethod.GET, path, null);
        } else {
          BodyRoute route = fuzzer.pick(routes);
          String body = fuzzer.mutate(fuzzer.pick(route.seeds()));
          what = route.method() + " " + route.path() + " " + abbreviated(body);
          response = service.send(route.method(), route.path(), Buffer.buffer(body));
        }
        statuses.merge(response.statusCode(), 1, Integer::sum);
        String problem = problemWith(response);
        if (problem != null && failures.size() < 20) {
          failures.add(problem + " <- " + what);
        }
      }

      // THEN every answer was clean, nothing was logged as an error or with a stack trace
      System.out.printf("admin API fuzz [seed: %d, requests: %d, answers by status: %s, problems: %d]%n", SEED,
          REQUESTS, statuses, failures.size());
      assertThat(failures).as("answers that are 5xx or not in the error shape (seed %d)", SEED).isEmpty();
      assertThat(log.atLeast(Level.ERROR)).as("ERROR lines (seed %d)", SEED).isEmpty();
      assertThat(log.withStackTraces()).as("lines with a stack trace (seed %d)", SEED).isEmpty();
    }

    // AND the service still creates and lists triggers and is ready
    assertThat(service.createWhenSourceReady(trigger("after_fuzz", url).encode()).statusCode()).isEqualTo(201);
    assertThat(service.get("/api/v1/triggers/after_fuzz").getString("name")).isEqualTo("after_fuzz");
    awaitTrue(() -> service.send(HttpMethod.GET, "/health/ready", null).statusCode() == 200);
  }

  /** {@code null} for a clean answer, else what is wrong with it. */
  private static String problemWith(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status >= 500) {
      return status + " " + abbreviated(response.bodyAsString());
    }
    if (status < 400) {
      return null;
    }
    try {
      JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
      if (error == null || error.getString("code") == null || error.getString("message") == null) {
        return status + " without the error shape: " + abbreviated(response.bodyAsString());
      }
      return null;
    } catch (RuntimeException notJson) {
      return status + " not JSON: " + abbreviated(response.bodyAsString());
    }
  }

  private static String abbreviated(String text) {
    return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "…(" + text.length() + " chars)";
  }

  private static JsonObject trigger(String name, String url) {
    return new JsonObject().put("name", name).put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", url))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100)));
  }

  /** The routes that take a body, each seeded with bodies like the OpenAPI document's examples, on this source. */
  private static List<BodyRoute> bodyRoutes(String url) {
    JsonObject threshold = trigger("fuzzed", url)
        .put("clear", new JsonObject().put("score", new JsonObject().put("_lte", 50)))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gt", new JsonObject().put("_param",
            "limit"))))
        .put("params", new JsonObject().put("limit", 100)).put("include_snapshot", true)
        .put("description", "score above the limit").put("metadata", new JsonObject().put("team", "risk"));
    JsonObject advanced = trigger("fuzzed_advanced", url)
        .put("fire", new JsonObject().put("_and", new JsonArray()
            .add(new JsonObject().put("id", new JsonObject().put("_in", new JsonArray().add(1)
                .add(2))))
            .add(new JsonObject().put("score", new JsonObject().put("_gte", 10)))))
        .put("fields", new JsonArray().add("score"))
        .put("computed", new JsonObject().put("double_score", "double(row.score) * 2.0"))
        .put("retry", new JsonObject().put("max_attempts", 5).put("initial_delay", "500ms").put("max_delay", "30s")
            .put("jitter", "full").put("max_age", "10m"))
        .put("timeout", "2s").put("ttl", "8h")
        .put("rate_limit", new JsonObject().put("per_second", 10).put("burst", 5))
        .put("ordering", "per_key").put("cooldown", "15m").put("mode", "live");
    String trigger = "/api/v1/triggers/" + BASE;
    return List.of(
        new BodyRoute(HttpMethod.POST, "/api/v1/triggers", List.of(threshold, advanced)),
        new BodyRoute(HttpMethod.POST, "/api/v1/triggers:test", List.of(threshold, advanced)),
        new BodyRoute(HttpMethod.PATCH, trigger, List.of(
            new JsonObject().put("description", "desk A").put("metadata", new JsonObject().put("desk", "a")),
            new JsonObject().put("enabled", false), new JsonObject().put("enabled", true),
            new JsonObject().put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 200))))),
        new BodyRoute(HttpMethod.PUT, trigger + "/params", List.of(new JsonObject().put("limit", 20_000))),
        new BodyRoute(HttpMethod.POST, trigger + "/secret:rotate", List.of(
            new JsonObject().put("overlap_seconds", 3_600))),
        new BodyRoute(HttpMethod.POST, trigger + "/events:retry", List.of(new JsonObject().put("status", "dead"),
            new JsonObject().put("status", "delivered").put("from", "2026-01-01T00:00:00Z")
                .put("to", "2099-01-01T00:00:00Z"))),
        new BodyRoute(HttpMethod.POST, "/api/v1/api-keys", List.of(
            new JsonObject().put("name", "dashboard").put("role", "read"),
            new JsonObject().put("name", "deployer").put("role", "write").put("expires_at",
                "2099-01-31T00:00:00Z"))));
  }
}
