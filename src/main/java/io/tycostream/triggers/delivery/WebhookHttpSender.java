package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.WebhookTarget;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs one signed webhook and classifies the answer as a {@link DeliveryOutcome}.
 * <p>
 * The body is sent as the exact byte array that was signed. Redirects are not followed (a {@code 3xx} is a failed
 * attempt). The response body is discarded unread, so a receiver cannot make the sender buffer megabytes. A slow
 * receiver is cut off after {@code connectTimeout + requestTimeout} in total: the client's idle timeout catches a
 * silent connection, and a deadline on the future catches one that trickles bytes.
 * <p>
 * A connection failure (a receiver resetting the connection, mid-request or while it idles in the keep-alive pool)
 * fails the request it carries, if any, and the caller records and logs that attempt. Every connection gets an
 * exception handler that logs at DEBUG only, so Vert.x does not log it again, at ERROR, without the trigger or the
 * endpoint; an idle connection that fails is simply dropped from the pool.
 * <p>
 * Thread-safe as its {@link WebClient}; {@link #close()} abandons requests in flight.
 */
public final class WebhookHttpSender {

  /** The {@code User-Agent} of every webhook request. */
  public static final String USER_AGENT = "tycostream-triggers";
  static final String CONTENT_TYPE = "application/json";

  private static final Logger LOG = LoggerFactory.getLogger(WebhookHttpSender.class);

  private final HttpClientAgent httpClient;
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
    this.httpClient = vertx.httpClientBuilder()
      .with(clientOptions)
      .with(pool)
      .withConnectHandler(WebhookHttpSender::onConnected)
      .build();
    this.client = WebClient.wrap(httpClient, clientOptions);
  }

  private static void onConnected(HttpConnection connection) {
    // without a handler Vert.x logs "ERROR ConnectionBase - Connection reset"; a request on the connection fails
    // with the same exception and is logged once, with its trigger and endpoint, where its attempt is recorded
    connection.exceptionHandler(failure -> LOG.debug("webhook connection failed [remote: {}, cause: {}]",
      connection.remoteAddress(), failure.toString()));
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

  /** Closes the client and its connections; requests in flight fail. */
  public Future<Void> close() {
    // the web client only wraps it
    return httpClient.close();
  }
}
