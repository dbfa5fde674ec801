package io.tycostream.triggers.bench;

import io.tycostream.triggers.testkit.TestApiKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service's trigger REST API and readiness, on 127.0.0.1, as an operator's client uses them: create triggers, read
 * their statuses and whether events are still waiting for delivery. Every call is a future; a service that does not
 * answer fails it. Safe to call from any thread; {@link #close()} when done.
 */
final class AdminClient implements AutoCloseable {

  private static final String TRIGGERS = "/api/v1/triggers";
  private static final long REQUEST_TIMEOUT_MS = 10_000;
  /** The largest page the list answers; the cursor is base64url, safe in a query as it is. */
  private static final int PAGE_LIMIT = 1_000;
  /** The status of a trigger that evaluates the stream (baselined). */
  static final String ACTIVE = "active";

  private static final String COMMITTED_FRONTIER = "committed_frontier";
  private static final long NOT_READY_RETRY_MS = 100;
  private static final long NOT_READY_PATIENCE_MS = 30_000;

  private final Vertx vertx;
  private final WebClient client;
  private final int port;

  AdminClient(Vertx vertx, int port) {
    this.vertx = vertx;
    this.client = WebClientSession.create(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(port).setConnectTimeout(1_000))).addHeader("authorization", TestApiKeys.AUTHORIZATION);
    this.port = port;
  }

  int port() {
    return port;
  }

  /**
   * Creates one trigger; while the API answers 503 (the source has not discovered its schema yet: "retry shortly")
   * it retries every {@value #NOT_READY_RETRY_MS} ms for up to {@value #NOT_READY_PATIENCE_MS} ms; fails with the
   * API's answer unless it is 201.
   */
  Future<Void> create(BenchTrigger trigger) {
    return create(trigger, System.nanoTime() + NOT_READY_PATIENCE_MS * 1_000_000);
  }

  private Future<Void> create(BenchTrigger trigger, long deadlineNanos) {
    return client.post(TRIGGERS).timeout(REQUEST_TIMEOUT_MS)
        .putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(trigger.json().encode()))
        .compose(response -> {
          if (response.statusCode() == 201) {
            return Future.succeededFuture();
          }
          if (response.statusCode() == 503 && System.nanoTime() < deadlineNanos) {
            return vertx.timer(NOT_READY_RETRY_MS).compose(waited -> create(trigger, deadlineNanos));
          }
          return Future.failedFuture("creating trigger " + trigger.name() + " answered " + response.statusCode()
              + " " + response.bodyAsString());
        });
  }

  /** Creates every trigger, {@code concurrency} requests at a time; fails at the first refusal. */
  Future<Void> createAll(List<BenchTrigger> triggers, int concurrency) {
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>(concurrency);
    for (int lane = 0; lane < concurrency; lane++) {
      lanes.add(createNext(triggers, next));
    }
    return Future.all(lanes).mapEmpty();
  }

  private Future<Void> createNext(List<BenchTrigger> triggers, AtomicInteger next) {
    int index = next.getAndIncrement();
    if (index >= triggers.size()) {
      return Future.succeededFuture();
    }
    return create(triggers.get(index)).compose(created -> createNext(triggers, next));
  }

  /**
   * The last frontier {@code source} committed, as the readiness checks report it ({@code data.committed_frontier} of
   * the source's check in {@code /health/ready}, which answers 200 or 503 with the same body); {@code -1} before the
   * first.
   */
  Future<Long> committedFrontier(String source) {
    return client.get("/health/ready").timeout(REQUEST_TIMEOUT_MS).send().map(response -> {
      JsonObject body = response.bodyAsJsonObject();
      for (Object group : body.getJsonArray("checks", new JsonArray())) {
        for (Object check : ((JsonObject) group).getJsonArray("checks", new JsonArray())) {
          JsonObject entry = (JsonObject) check;
          JsonObject data = entry.getJsonObject("data");
          if (source.equals(entry.getString("id")) && data != null && data.getString(COMMITTED_FRONTIER) != null) {
            return Long.parseLong(data.getString(COMMITTED_FRONTIER));
          }
        }
      }
      return -1L;
    });
  }

  /** How many triggers have each status (e.g. {@code awaiting_baseline}, {@value #ACTIVE}), over every page. */
  Future<Map<String, Integer>> statusCounts() {
    return countStatuses(null, new TreeMap<>());
  }

  private Future<Map<String, Integer>> countStatuses(String cursor, Map<String, Integer> counts) {
    String page = TRIGGERS + "?limit=" + PAGE_LIMIT + (cursor == null ? "" : "&cursor=" + cursor);
    return getJson(page).compose(body -> {
      for (Object trigger : body.getJsonArray("triggers", new JsonArray())) {
        counts.merge(((JsonObject) trigger).getString("status"), 1, Integer::sum);
      }
      String next = body.getString("next_cursor");
      return next == null ? Future.succeededFuture(counts) : countStatuses(next, counts);
    });
  }

  /** The trigger's status, e.g. {@value #ACTIVE}. */
  Future<String> status(String trigger) {
    return getJson(TRIGGERS + "/" + trigger).map(body -> body.getString("status"));
  }

  /** How many of the trigger's events are still to be delivered (counted up to {@code limit}). */
  Future<Integer> pendingEvents(String trigger, int limit) {
    return getJson(TRIGGERS + "/" + trigger + "/events?status=pending&limit=" + limit)
        .map(body -> body.getJsonArray("events", new JsonArray()).size());
  }

  private Future<JsonObject> getJson(String path) {
    return client.get(path).timeout(REQUEST_TIMEOUT_MS).send().compose(AdminClient::jsonBody);
  }

  private static Future<JsonObject> jsonBody(HttpResponse<Buffer> response) {
    return response.statusCode() == 200 ? Future.succeededFuture(response.bodyAsJsonObject())
        : Future.failedFuture("admin API answered " + response.statusCode() + " " + response.bodyAsString());
  }

  @Override
  public void close() {
    client.close();
  }
}
