package io.tycostream.triggers.app.crash;

import io.tycostream.triggers.testkit.TestApiKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Blocking reads of the child service's admin API on 127.0.0.1, the way an operator would check it: readiness, a
 * trigger's status, the source's frontier and whether a trigger still has events waiting for delivery. A service that
 * is not listening (between lives) reads as "no answer" ({@link Optional#empty()}), never as an error.
 * <p>
 * Thread-safe; call from test threads only (it blocks).
 */
public final class AdminProbe {

  private final int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  public AdminProbe(int port) {
    this.port = port;
  }

  /** Whether {@code /health/ready} answers 200. */
  public boolean ready() {
    return get("/health/ready").map(response -> response.statusCode() == 200).orElse(false);
  }

  /** The {@code status} of {@code GET /api/v1/triggers/<name>} when it answers 200. */
  public Optional<String> triggerStatus(String trigger) {
    return json("/api/v1/triggers/" + trigger).map(body -> body.getString("status"));
  }

  /** The {@code last_frontier} the source reports in the readiness checks. */
  public Optional<Long> sourceFrontier(String source) {
    return get("/health/ready").flatMap(response -> {
      JsonObject body = new JsonObject(response.body());
      JsonArray groups = body.getJsonArray("checks", new JsonArray());
      for (Object group : groups) {
        if (!"sources".equals(((JsonObject) group).getString("id"))) {
          continue;
        }
        for (Object check : ((JsonObject) group).getJsonArray("checks", new JsonArray())) {
          JsonObject entry = (JsonObject) check;
          JsonObject data = entry.getJsonObject("data");
          if (source.equals(entry.getString("id")) && data != null && data.getString("last_frontier") != null) {
            return Optional.of(Long.parseLong(data.getString("last_frontier")));
          }
        }
      }
      return Optional.empty();
    });
  }

  /** How many of the trigger's events have the given status (up to {@code limit}), when the API answers. */
  public Optional<Integer> eventCount(String trigger, String status, int limit) {
    return json("/api/v1/triggers/" + trigger + "/events?status=" + status + "&limit=" + limit)
        .map(body -> body.getJsonArray("events").size());
  }

  /** {@code GET /api/v1/cluster}, when the node answers. */
  public Optional<JsonObject> cluster() {
    return json("/api/v1/cluster");
  }

  private Optional<JsonObject> json(String path) {
    return get(path).filter(response -> response.statusCode() == 200).map(response -> new JsonObject(response.body()));
  }

  private Optional<HttpResponse<String>> get(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(2)).header("authorization", TestApiKeys.AUTHORIZATION).GET().build();
    try {
      return Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    } catch (IOException notAnswering) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
