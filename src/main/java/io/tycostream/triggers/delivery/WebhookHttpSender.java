package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.WebhookTarget;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * POSTs one signed webhook and classifies the answer as a {@link DeliveryOutcome}.
 * <p>
 * The body is sent as the exact byte array that was signed. Redirects are not followed (a {@code 3xx} is a failed
 * attempt). The response body is discarded unread, so a receiver cannot make the sender buffer megabytes. A slow
 * receiver is cut off after {@code connectTimeout + requestTimeout} in total: the client's idle timeout catches a
 * silent connection, and a deadline on the future catches one that trickles bytes.
 * <p>
 * Thread-safe as its {@link WebClient}; {@link #close()} abandons requests in flight.
 */
public final class WebhookHttpSender {

  /** The {@code User-Agent} of every webhook request. */
  public static final String USER_AGENT = "tycostream-triggers";
  static final String CONTENT_TYPE = "application/json";

  private final WebClient client;
  private final long connectTimeoutMs;
  private final long requestTimeoutMs;

  public WebhookHttpSender(Vertx vertx, DeliveryOptions options) {
    this.connectTimeoutMs = options.getConnectTimeout().toMillis();
    this.requestTimeoutMs = options.getRequestTimeout().toMillis();
    WebClientOptions clientOptions = new WebClientOptions()
      .setUserAgent(USER_AGENT)
      .setFollowRedirects(false)
      .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeoutMs));
    // as many connections to one endpoint as requests may be in flight, so none waits in the pool's queue
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(options.getMaxInFlight());
    this.client = WebClient.create(vertx, clientOptions, pool);
  }

  /**
   * Sends one attempt.
   *
   * @return the outcome of any HTTP response (a non-{@code 2xx} is a successful future with a RETRY outcome); a
   *     failed future when no response arrived (connect failure, timeout, connection reset)
   */
  public Future<DeliveryOutcome> post(WebhookTarget target, WebhookHeaders headers, byte[] body) {
    Future<HttpResponse<Void>> response = client.requestAbs(HttpMethod.POST, target.uri().toString())
      .putHeader("content-type", CONTENT_TYPE)
      .putHeader(WebhookHeaders.ID, headers.id())
      .putHeader(WebhookHeaders.TIMESTAMP, headers.timestamp())
      .putHeader(WebhookHeaders.SIGNATURE, headers.signature())
      .followRedirects(false)
      .connectTimeout(connectTimeoutMs)
      .idleTimeout(requestTimeoutMs)
      .as(BodyCodec.none())
      .sendBuffer(Buffer.buffer(body));
    return response
      .timeout(connectTimeoutMs + requestTimeoutMs, TimeUnit.MILLISECONDS)
      .map(answer -> DeliveryOutcome.ofResponse(answer.statusCode(), answer.getHeader("retry-after"), Instant.now()));
  }

  public void close() {
    client.close();
  }
}
