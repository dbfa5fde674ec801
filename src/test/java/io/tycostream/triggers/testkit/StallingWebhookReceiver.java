package io.tycostream.triggers.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 that never answers its first {@code stallCount} requests (it reads them and keeps
 * the connection open, like a hung receiver) and answers 204 to every later one. Unlike {@link WebhookReceiver} it
 * records <em>every</em> request, answered or not, with its headers, so a test can compare a stalled attempt with
 * its re-send. Stalled requests are dropped when the receiver stops.
 * <p>
 * Thread-safe: recorded requests can be read from the test thread while the server's event loop appends.
 */
public final class StallingWebhookReceiver {

  private final Vertx vertx;
  private final int stallCount;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final List<ReceivedWebhook> received = new CopyOnWriteArrayList<>();
  private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
  private HttpServer server;

  private StallingWebhookReceiver(Vertx vertx, int stallCount) {
    this.vertx = vertx;
    this.stallCount = stallCount;
  }

  /** Starts a receiver on an ephemeral loopback port that stalls its first {@code stallCount} requests. */
  public static Future<StallingWebhookReceiver> start(Vertx vertx, int stallCount) {
    StallingWebhookReceiver receiver = new StallingWebhookReceiver(vertx, stallCount);
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
      .requestHandler(receiver::handle)
      .listen()
      .map(server -> {
        receiver.server = server;
        return receiver;
      });
  }

  private void handle(HttpServerRequest request) {
    int number = requests.incrementAndGet();
    Map<String, String> seen = new ConcurrentHashMap<>();
    request.headers().forEach(header -> seen.put(header.getKey().toLowerCase(), header.getValue()));
    boolean stall = number <= stallCount;
    if (stall) {
      open.incrementAndGet();
      request.connection().closeHandler(closed -> open.decrementAndGet());
    }
    request.body().onSuccess(body -> {
      received.add(new ReceivedWebhook(request.getHeader("webhook-id"), request.getHeader("webhook-timestamp"),
        request.getHeader("webhook-signature"), body, Instant.now()));
      headers.add(seen);
      if (!stall) {
        request.response().setStatusCode(204).end();
      }
    });
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  /** Requests whose body was read, stalled or answered, in arrival order. */
  public List<ReceivedWebhook> received() {
    return new ArrayList<>(received);
  }

  /** The headers of each request in {@link #received()}, names in lower case. */
  public List<Map<String, String>> headers() {
    return new ArrayList<>(headers);
  }

  /** All requests that arrived. */
  public int requestCount() {
    return requests.get();
  }

  /** Stalled requests whose connection the client still holds open. */
  public int openStalledRequests() {
    return open.get();
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
