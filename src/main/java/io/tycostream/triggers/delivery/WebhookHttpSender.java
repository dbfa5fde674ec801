package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.WebhookTarget;
import io.tycostream.triggers.store.DeliveryAttempt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs one signed webhook to an address that was already resolved and checked, and classifies the answer as a
 * {@link DeliveryOutcome}.
 * <p>
 * The connection goes to the given address; the URL's host stays the request's authority, so the {@code Host}
 * header, TLS SNI and certificate verification use the name, and no second DNS lookup happens. Certificates are
 * always verified, host name included, against the JVM's CAs (plus {@code delivery.tls.ca_file}); a client
 * certificate is presented when configured: the target's named one ({@code webhook.client_certificate}, a client of
 * its own per name, built on first use), else the global one. Every client connects the same way, to the checked
 * address. The body is sent as
 * the exact byte array that was signed. Redirects are not followed (a {@code 3xx} is a failed attempt). Of the
 * response body only the first {@link DeliveryAttempt#MAX_EXCERPT_BYTES} bytes are kept (for the attempt record, see
 * {@link ResponseExcerpt}); the rest is read and dropped, so a receiver cannot make the sender buffer megabytes. A
 * slow receiver is cut off after {@code connectTimeout + requestTimeout} in total: the idle timeout catches a silent
 * connection, and a deadline resets a request that trickles bytes.
 * <p>
 * Connections are pooled per server address and authority (in effect per origin), up to {@code maxInFlight} each,
 * so a request never waits in the pool's queue. A connection failure (a receiver resetting the connection,
 * mid-request or while it idles in the keep-alive pool) fails the request it carries, if any, and the caller records
 * and logs that attempt; every connection gets an exception handler that logs at DEBUG only, so Vert.x does not log
 * it again, at ERROR, without the trigger or the endpoint.
 * <p>
 * Thread-safe as its {@link HttpClientAgent}; {@link #close()} abandons requests in flight.
 */
final class WebhookHttpSender {

  /** The {@code User-Agent} of every webhook request. */
  static final String USER_AGENT = "tycostream-triggers";
  static final String CONTENT_TYPE = "application/json";

  private static final Logger LOG = LoggerFactory.getLogger(WebhookHttpSender.class);

  private final Vertx vertx;
  private final DeliveryOptions options;
  /** The client presenting {@code delivery.tls.client_cert_file}, or no certificate. */
  private final HttpClientAgent client;
  /** One client per named certificate in use ({@code webhook.client_certificate}). */
  private final Map<String, HttpClientAgent> namedClients = new ConcurrentHashMap<>();
  private final long connectTimeoutMs;
  private final long requestTimeoutMs;

  WebhookHttpSender(Vertx vertx, DeliveryOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.connectTimeoutMs = options.getConnectTimeout().toMillis();
    this.requestTimeoutMs = options.getRequestTimeout().toMillis();
    this.client = buildClient("tycostream-webhooks", options.getClientCertificate());
  }

  /**
   * A client of its own per certificate: a connection authenticated with one certificate is never reused for a
   * trigger that presents another (or none), since the pool knows only the address and the authority.
   */
  private HttpClientAgent buildClient(String name, KeyCertOptions certificate) {
    HttpClientOptions clientOptions = new HttpClientOptions()
        .setName(name)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeoutMs))
        // certificates always verified, the host name included (against the URL's host, not the checked address)
        .setTrustAll(false)
        .setVerifyHost(true);
    if (options.getTrust() != null) {
      clientOptions.setTrustOptions(options.getTrust());
    }
    if (certificate != null) {
      clientOptions.setKeyCertOptions(certificate);
    }
    return vertx.httpClientBuilder()
        .with(clientOptions)
        .with(new PoolOptions().setHttp1MaxSize(options.getMaxInFlight()))
        .withConnectHandler(WebhookHttpSender::onConnected)
        .build();
  }

  /** Whether {@code target}'s client certificate, if it names one, is configured. */
  boolean presentsCertificateOf(WebhookTarget target) {
    return target.clientCertificate() == null
        || options.getNamedClientCertificates().containsKey(target.clientCertificate());
  }

  /** The attempt error of a target naming a client certificate that is not configured (any more). */
  String missingCertificate(WebhookTarget target) {
    return "client certificate '" + target.clientCertificate() + "' is not configured (delivery.tls."
        + "client_certificates: " + (options.getNamedClientCertificates().isEmpty() ? "none"
        : String.join(", ", options.getNamedClientCertificates().keySet())) + "), not sent";
  }

  /**
   * The client presenting {@code target}'s certificate: the global one (or none) when it names none, else the named
   * one's, built on first use and kept; {@code null} when the name is not configured (never another certificate).
   */
  private HttpClientAgent clientFor(WebhookTarget target) {
    String name = target.clientCertificate();
    if (name == null) {
      return client;
    }
    KeyCertOptions certificate = options.getNamedClientCertificates().get(name);
    if (certificate == null) {
      return null;
    }
    return namedClients.computeIfAbsent(name, named -> buildClient("tycostream-webhooks-" + named, certificate));
  }

  private static void onConnected(HttpConnection connection) {
    // without a handler Vert.x logs "ERROR ConnectionBase - Connection reset"; a request on the connection fails
    // with the same exception and is logged once, with its trigger and endpoint, where its attempt is recorded
    connection.exceptionHandler(failure -> LOG.debug("webhook connection failed [remote: {}, cause: {}]",
        connection.remoteAddress(), failure.toString()));
  }

  /**
   * Sends one attempt to {@code address}, with {@code target}'s host as the authority.
   *
   * @return the outcome of any HTTP response (a non-{@code 2xx} is a successful future with a RETRY outcome); a
   *     failed future when no response arrived (connect failure, timeout, connection reset)
   */
  Future<DeliveryOutcome> post(WebhookTarget target, InetAddress address, WebhookHeaders headers, byte[] body) {
    return post(target, address, headers, body, null);
  }

  /**
   * As {@link #post(WebhookTarget, InetAddress, WebhookHeaders, byte[])}, the receiver given {@code requestTimeout}
   * (a trigger's own {@code timeout}) instead of the configured one to answer; {@code null} for the configured one.
   */
  Future<DeliveryOutcome> post(WebhookTarget target, InetAddress address, WebhookHeaders headers, byte[] body,
                               Duration requestTimeout) {
    long requestTimeoutMs = requestTimeout == null ? this.requestTimeoutMs : requestTimeout.toMillis();
    HttpClientAgent chosen = clientFor(target);
    if (chosen == null) {
      // never fall back to the global certificate or none: the receiver expects this identity
      return Future.failedFuture(new IllegalStateException(missingCertificate(target)));
    }
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, target.port())))
        .setHost(target.host())
        .setPort(target.port())
        .setSsl(target.secure())
        .setURI(target.requestUri())
        .setFollowRedirects(false)
        .setConnectTimeout(connectTimeoutMs)
        .setIdleTimeout(requestTimeoutMs)
        .putHeader("content-type", CONTENT_TYPE)
        .putHeader("user-agent", USER_AGENT)
        .putHeader(WebhookHeaders.ID, headers.id())
        .putHeader(WebhookHeaders.TIMESTAMP, headers.timestamp())
        .putHeader(WebhookHeaders.SIGNATURE, headers.signature());
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    return chosen.request(request)
        .compose(opened -> {
          sent.set(opened);
          return opened.send(Buffer.buffer(body));
        })
        .compose(WebhookHttpSender::readExcerpt)
        .timeout(connectTimeoutMs + requestTimeoutMs, TimeUnit.MILLISECONDS)
        .onFailure(failed -> {
          HttpClientRequest open = sent.get();
          if (open != null) {
            // a trickling answer: free the connection rather than wait for its idle timeout
            open.reset();
          }
        });
  }

  private static Future<DeliveryOutcome> readExcerpt(HttpClientResponse response) {
    ResponseExcerpt excerpt = new ResponseExcerpt(DeliveryAttempt.MAX_EXCERPT_BYTES);
    response.handler(excerpt::append);
    return response.end().map(ended -> DeliveryOutcome.ofResponse(response.statusCode(),
        response.getHeader("retry-after"), Instant.now()).withResponseExcerpt(excerpt.text()));
  }

  /** Closes the clients and their connections; requests in flight fail. */
  Future<Void> close() {
    List<Future<Void>> closed = new ArrayList<>();
    closed.add(client.close());
    namedClients.values().forEach(named -> closed.add(named.close()));
    return Future.all(closed).mapEmpty();
  }
}
