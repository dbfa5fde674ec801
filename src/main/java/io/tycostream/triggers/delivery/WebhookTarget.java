package io.tycostream.triggers.delivery;

import io.tycostream.triggers.trigger.TriggerDefinition;
import io.tycostream.triggers.trigger.TriggerDefinitionParser;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a trigger's webhooks go: the absolute {@code http}/{@code https} URL of its definition, with the parts the
 * sender needs. Immutable and thread-safe.
 * <p>
 * {@link #endpoint()} ({@code scheme://host:port}) keys the per-endpoint circuit breaker: triggers that share a
 * receiver host share its breaker, whatever their paths.
 *
 * @param uri    the URL as configured
 * @param secure whether it is {@code https}
 * @param host   the host name or address literal (IPv6 without brackets)
 * @param port   the explicit port, or the scheme's default
 */
public record WebhookTarget(URI uri, boolean secure, String host, int port) {

  public WebhookTarget {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(host, "host");
  }

  /**
   * Reads {@code webhook.url} from a stored trigger definition.
   *
   * @throws IllegalArgumentException if the definition cannot be read or its URL is not an absolute http(s) URL
   */
  public static WebhookTarget fromDefinition(String definitionJson) {
    TriggerDefinition definition;
    try {
      definition = TriggerDefinitionParser.parse(definitionJson);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("trigger definition cannot be read: " + e.getMessage(), e);
    }
    return parse(definition.webhookUrl().toString());
  }

  /**
   * Parses an absolute {@code http} or {@code https} URL.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static WebhookTarget parse(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("webhook.url is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("webhook.url must be an absolute http or https URL");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("webhook.url has no host");
    }
    if (uri.getUserInfo() != null) {
      // credentials in the URL would end up in logs and attempt records
      throw new IllegalArgumentException("webhook.url must not contain user info");
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

  /** {@code scheme://host:port}, the circuit-breaker key. */
  public String endpoint() {
    String printedHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return (secure ? "https" : "http") + "://" + printedHost + ":" + port;
  }
}
