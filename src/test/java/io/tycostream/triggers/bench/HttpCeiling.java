package io.tycostream.triggers.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;

/**
 * The raw loopback HTTP ceiling: a Vert.x {@code WebClient} POSTing the same kind of body with the same headers and
 * pool size as the service's webhook sender to an {@link ArrivalRecorder}, keeping a fixed number of requests in
 * flight over keep-alive connections. No store, no signing: what one JVM on this machine can push through HTTP.
 * <p>
 * The requests are issued from one event-loop context, like the delivery verticle's.
 */
final class HttpCeiling {

  /** What one measurement gave. */
  record Result(int requests, int inFlight, int bodyBytes, long elapsedNanos, long failures) {

    double requestsPerSecond() {
      return requests * 1e9 / elapsedNanos;
    }
  }

  private final Vertx vertx;
  private final String url;
  private final Buffer body;
  private final int inFlight;

  HttpCeiling(Vertx vertx, String url, byte[] body, int inFlight) {
    this.vertx = vertx;
    this.url = url;
    this.body = Buffer.buffer(body);
    this.inFlight = inFlight;
  }

  /** POSTs {@code requests} bodies, {@code inFlight} at a time; completes when every answer arrived. */
  Future<Result> run(int requests, String idPrefix) {
    HttpClientAgent agent = vertx.httpClientBuilder()
        .with(new HttpClientOptions())
        .with(new PoolOptions().setHttp1MaxSize(inFlight))
        .build();
    WebClient client = WebClient.wrap(agent, new WebClientOptions().setUserAgent("tycostream-triggers")
        .setFollowRedirects(false));
    Promise<Result> done = Promise.promise();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(started -> new Run(client, requests, idPrefix, done).begin());
    // the client's connections closed before the result is handed on, so the receiver can stop at once
    return done.future().eventually(agent::close);
  }

  /** The state of one run; touched only on its context's event loop. */
  private final class Run {
    private final WebClient client;
    private final int total;
    private final String idPrefix;
    private final Promise<Result> done;
    private long startNanos;
    private int sent;
    private int answered;
    private long failures;

    Run(WebClient client, int total, String idPrefix, Promise<Result> done) {
      this.client = client;
      this.total = total;
      this.idPrefix = idPrefix;
      this.done = done;
    }

    void begin() {
      startNanos = System.nanoTime();
      for (int i = 0; i < inFlight && sent < total; i++) {
        sendNext();
      }
    }

    private void sendNext() {
      int index = sent++;
      client.postAbs(url)
          .putHeader("content-type", "application/json")
          .putHeader(ArrivalRecorder.WEBHOOK_ID, idPrefix + index)
          .putHeader("webhook-timestamp", "1764302400")
          .putHeader("webhook-signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=")
          .timeout(10_000)
          .as(BodyCodec.none())
          .sendBuffer(body)
          .onComplete(answer -> {
            if (answer.failed() || answer.result().statusCode() != 204) {
              failures++;
            }
            answered++;
            if (sent < total) {
              sendNext();
            } else if (answered == total) {
              done.complete(new Result(total, inFlight, body.length(), System.nanoTime() - startNanos, failures));
            }
          });
    }
  }
}
