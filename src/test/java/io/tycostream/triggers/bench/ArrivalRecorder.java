package io.tycostream.triggers.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal webhook receiver on 127.0.0.1 for the benchmark: answers every POST with 204 once its body has arrived
 * (optionally after a fixed delay, so requests stay in flight) and records, per {@code webhook-id}, the
 * {@link System#nanoTime()} at which the request first reached it and, for redeliveries, the latest. It neither
 * parses nor verifies the body, so the receiver costs as little as a receiver can and the figures measure the sender.
 * With {@link #unpackBatches()} it records per event instead: the {@code event_id} of every element of a batched
 * POST, found by a scan for the field name (no JSON tree).
 * <p>
 * Thread-safe: the server's event loop records while the benchmark thread reads.
 */
final class ArrivalRecorder {

  static final String WEBHOOK_ID = "webhook-id";
  private static final String EVENT_ID_FIELD = "\"event_id\":\"";

  private final Map<String, Long> firstArrivalNanos = new ConcurrentHashMap<>();
  /** The latest arrival of every id that arrived more than once. */
  private final Map<String, Long> lastRedeliveryNanos = new ConcurrentHashMap<>();
  /** Ids whose request arrived and is not answered yet (only tracked with an answer delay). */
  private final Set<String> unanswered = ConcurrentHashMap.newKeySet();
  private final AtomicLong markNanos = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong firstSinceMark = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong bodyBytes = new AtomicLong();
  private final Vertx vertx;
  private final HttpServer server;
  private final long answerDelayMs;
  private volatile boolean unpackBatches;

  private ArrivalRecorder(Vertx vertx, HttpServer server, long answerDelayMs) {
    this.vertx = vertx;
    this.server = server;
    this.answerDelayMs = answerDelayMs;
  }

  /** Listens on an ephemeral loopback port and answers at once. */
  static Future<ArrivalRecorder> start(Vertx vertx) {
    return start(vertx, 0);
  }

  /** Listens on an ephemeral loopback port and answers each request {@code answerDelayMs} after its body arrived. */
  static Future<ArrivalRecorder> start(Vertx vertx, long answerDelayMs) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    ArrivalRecorder recorder = new ArrivalRecorder(vertx, server, answerDelayMs);
    server.requestHandler(recorder::handle);
    return server.listen().map(listening -> recorder);
  }

  private void handle(HttpServerRequest request) {
    long arrived = System.nanoTime();
    String id = request.getHeader(WEBHOOK_ID);
    if (arrived >= markNanos.get()) {
      firstSinceMark.compareAndSet(0, arrived);
    }
    request.body().onComplete(body -> {
      if (body.failed()) {
        request.response().setStatusCode(400).end();
        return;
      }
      requests.incrementAndGet();
      bodyBytes.addAndGet(body.result().length());
      if (unpackBatches) {
        eventIdsOf(body.result().toString(StandardCharsets.UTF_8)).forEach(eventId -> arrived(eventId, arrived));
      } else if (id != null) {
        arrived(id, arrived);
      }
      if (answerDelayMs <= 0) {
        request.response().setStatusCode(204).end();
        return;
      }
      if (id != null) {
        unanswered.add(id);
      }
      vertx.setTimer(answerDelayMs, fired -> {
        if (id != null) {
          unanswered.remove(id);
        }
        // the sender may be gone (killed): nothing to answer then
        request.response().setStatusCode(204).end().otherwiseEmpty();
      });
    });
  }

  private void arrived(String id, long arrivedNanos) {
    if (firstArrivalNanos.putIfAbsent(id, arrivedNanos) != null) {
      duplicates.incrementAndGet();
      lastRedeliveryNanos.merge(id, arrivedNanos, Math::max);
    }
  }

  /** The event ids of a batched body, in order. */
  static List<String> eventIdsOf(String body) {
    List<String> ids = new ArrayList<>();
    int at = body.indexOf(EVENT_ID_FIELD);
    while (at >= 0) {
      int start = at + EVENT_ID_FIELD.length();
      int end = body.indexOf('"', start);
      ids.add(body.substring(start, end));
      at = body.indexOf(EVENT_ID_FIELD, end);
    }
    return ids;
  }

  /** From now on, records the event ids inside batched bodies rather than the {@code webhook-id} of each POST. */
  void unpackBatches() {
    unpackBatches = true;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  int port() {
    return server.actualPort();
  }

  /** The first arrival of {@code webhookId}, or {@code null} if it never came. */
  Long arrivalNanos(String webhookId) {
    return firstArrivalNanos.get(webhookId);
  }

  /** The latest arrival of {@code webhookId} (its first when it came once), or {@code null} if it never came. */
  Long lastArrivalNanos(String webhookId) {
    Long redelivered = lastRedeliveryNanos.get(webhookId);
    return redelivered != null ? redelivered : firstArrivalNanos.get(webhookId);
  }

  /** Every id received so far. */
  Set<String> receivedIds() {
    return Set.copyOf(firstArrivalNanos.keySet());
  }

  /** Ids whose request arrived but whose (delayed) answer was not sent yet. */
  Set<String> unansweredIds() {
    return Set.copyOf(unanswered);
  }

  /**
   * Starts watching for the next arrival: {@link #firstArrivalSinceMark()} is from now on the first request (first or
   * repeated delivery) that arrives at or after {@code sinceNanos}.
   */
  void mark(long sinceNanos) {
    firstSinceMark.set(0);
    markNanos.set(sinceNanos);
  }

  /** The first arrival at or after the last {@link #mark}; {@code null} if none yet. */
  Long firstArrivalSinceMark() {
    long first = firstSinceMark.get();
    return first == 0 ? null : first;
  }

  /** Distinct webhook ids (with {@link #unpackBatches()}: event ids) received so far. */
  int distinctReceived() {
    return firstArrivalNanos.size();
  }

  long requests() {
    return requests.get();
  }

  /** Requests whose webhook id had arrived before (redeliveries). */
  long duplicates() {
    return duplicates.get();
  }

  /** Mean body size of the requests received so far, in bytes. */
  long meanBodyBytes() {
    long count = requests.get();
    return count == 0 ? 0 : bodyBytes.get() / count;
  }

  Future<Void> stop() {
    return server.close();
  }
}
