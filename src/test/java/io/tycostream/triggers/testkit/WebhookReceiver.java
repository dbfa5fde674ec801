package io.tycostream.triggers.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A real HTTP server on 127.0.0.1 that records every webhook POSTed to it. By default it answers 204; a test can
 * script other statuses (for retries) with {@link #respondWith(IntSupplier)}.
 * <p>
 * Thread-safe: the recorded list can be read from the test thread while the server's event loop appends.
 */
public final class WebhookReceiver {

  private final Vertx vertx;
  private final List<ReceivedWebhook> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile IntSupplier status = () -> 204;
  private volatile Buffer answer;
  private HttpServer server;

  private WebhookReceiver(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts a receiver on an ephemeral loopback port. */
  public static Future<WebhookReceiver> start(Vertx vertx) {
    return start(vertx, 0);
  }

  /** Starts a receiver on loopback {@code port} (e.g. where a stopped receiver listened: the endpoint is back). */
  public static Future<WebhookReceiver> start(Vertx vertx, int port) {
    WebhookReceiver receiver = new WebhookReceiver(vertx);
    return receiver.listen(port).map(receiver);
  }

  private Future<HttpServer> listen(int port) {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
      .requestHandler(this::handle)
      .listen()
      .onSuccess(s -> this.server = s);
  }

  private void handle(HttpServerRequest request) {
    requests.incrementAndGet();
    request.body().onSuccess(body -> {
      int code = status.getAsInt();
      if (code >= 200 && code < 300) {
        received.add(new ReceivedWebhook(request.getHeader("webhook-id"), request.getHeader("webhook-timestamp"),
          request.getHeader("webhook-signature"), body, Instant.now()));
      }
      Buffer reply = answer;
      if (reply == null) {
        request.response().setStatusCode(code).end();
      } else {
        request.response().setStatusCode(code).end(reply);
      }
    });
  }

  /** Scripts the status of each following request (only 2xx answers are recorded as received). */
  public WebhookReceiver respondWith(IntSupplier status) {
    this.status = status;
    return this;
  }

  /** Answers every following request with {@code body} (bytes as given), or none for {@code null}. */
  public WebhookReceiver answerWith(Buffer body) {
    this.answer = body;
    return this;
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** Every webhook answered with a 2xx so far, in arrival order. */
  public List<ReceivedWebhook> received() {
    return new ArrayList<>(received);
  }

  /** All requests, including those answered with a non-2xx status. */
  public int requestCount() {
    return requests.get();
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
