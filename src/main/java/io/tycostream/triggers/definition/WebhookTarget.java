package io.tycostream.triggers.definition;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a trigger's webhooks go: the absolute {@code http}/{@code https} URL of its definition, with the parts the
 * sender needs. Immutable and thread-safe.
 * <p>
 * {@link #endpoint()} ({@code scheme://host:port}) names the receiver in logs and attempt records (a path or query
 * may carry credentials); delivery keeps a lane, with its own breaker and limit, per URL without the query (and per
 * client certificate).
 *
 * @param uri               the URL as configured
 * @param secure            whether it is {@code https}
 * @param host              the host name or address literal (IPv6 without brackets)
 * @param port              the explicit port, or the scheme's default
 * @param clientCertificate the name of the configured client certificate to present ({@code webhook.client_certificate}
 *                          of a trigger, one of {@code delivery.tls.client_certificates}), or {@code null} for the
 *                          global one ({@code delivery.tls.client_cert_file}) if any
 */
public record WebhookTarget(URI uri, boolean secure, String host, int port, String clientCertificate) {

  public WebhookTarget {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(host, "host");
  }

  /** A target presenting the global client certificate, if any. */
  public WebhookTarget(URI uri, boolean secure, String host, int port) {
    this(uri, secure, host, port, null);
  }

  /** The same URL, presenting the named client certificate ({@code null}: the global one, if any). */
  public WebhookTarget withClientCertificate(String name) {
    return new WebhookTarget(uri, secure, host, port, name);
  }

  /** Longest accepted webhook URL. */
  public static final int MAX_URL_LENGTH = 2048;

  /**
   * Parses a webhook URL: the one check of its form, shared by the admin API, the configuration and delivery. It must
   * be an absolute {@code http} or {@code https} URL with a host, without user info (credentials would end up in logs
   * and attempt records; they belong in the signature), at most {@value #MAX_URL_LENGTH} characters. Where it may
   * point is a separate question ({@link WebhookTargetPolicy}).
   *
   * @throws IllegalArgumentException saying what is wrong, phrased to follow the field name
   *                                  ({@code "must be an absolute http or https URL …"})
   */
  public static WebhookTarget parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("is required");
    }
    if (url.length() > MAX_URL_LENGTH) {
      throw new IllegalArgumentException("is longer than " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost();
    if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || host == null || host.isEmpty()) {
      throw new IllegalArgumentException("must be an absolute http or https URL with a host, like "
          + "https://example.com/hooks");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("must not contain user info (credentials belong in the signature)");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    boolean secure = scheme.equals("https");
    int port = uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
    return new WebhookTarget(uri, secure, host.toLowerCase(Locale.ROOT), port);
  }

  /** The request target: path (at least {@code /}) and query, as written in the URL. */
  public String requestUri() {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  /** {@code scheme://host:port}, how logs name the receiver. */
  public String endpoint() {
    String printedHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return (secure ? "https" : "http") + "://" + printedHost + ":" + port;
  }
}
