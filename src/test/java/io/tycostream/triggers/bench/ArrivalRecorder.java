package io.tycostream.triggers.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal webhook receiver on 127.0.0.1 for the benchmark: answers every POST with 204 once its body has arrived
 * and records, per {@code webhook-id}, the {@link System#nanoTime()} at which the request reached it. It neither
 * parses nor verifies the body, so the receiver costs as little as a receiver can and the figures measure the sender.
 * <p>
 * Thread-safe: the server's event loop records while the benchmark thread reads.
 */
final class ArrivalRecorder {

  static final String WEBHOOK_ID = "webhook-id";

  private final Map<String, Long> firstArrivalNanos = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong bodyBytes = new AtomicLong();
  private final HttpServer server;

  private ArrivalRecorder(HttpServer server) {
    this.server = server;
  }

  /** Listens on an ephemeral loopback port. */
  static Future<ArrivalRecorder> start(Vertx vertx) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    ArrivalRecorder recorder = new ArrivalRecorder(server);
    server.requestHandler(recorder::handle);
    return server.listen().map(listening -> recorder);
  }

  private void handle(HttpServerRequest request) {
    long arrived = System.nanoTime();
    String id = request.getHeader(WEBHOOK_ID);
    request.body().onComplete(body -> {
      if (body.failed()) {
        request.response().setStatusCode(400).end();
        return;
      }
      requests.incrementAndGet();
      bodyBytes.addAndGet(body.result().length());
      if (id != null && firstArrivalNanos.putIfAbsent(id, arrived) != null) {
        duplicates.incrementAndGet();
      }
      request.response().setStatusCode(204).end();
    });
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

  /** Distinct webhook ids received so far. */
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
