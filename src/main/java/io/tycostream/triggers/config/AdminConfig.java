package io.tycostream.triggers.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import static java.util.Objects.requireNonNullElse;

/**
 * Where the admin HTTP server (health, trigger REST API, demo receiver) listens.
 *
 * @param host               the interface to bind; {@value #DEFAULT_HOST} by default, set {@code 0.0.0.0} in a
 *                           container
 * @param port               the TCP port, 0 for an ephemeral port (tests)
 * @param readinessGraceMs   how long a source may go without committing a frontier (Materialize sends progress about
 *                           every second, so a healthy source commits at least that often) before
 *                           {@code /health/ready} answers 503 with the reason
 * @param allowedHosts       the {@code Host} names the API answers for (without port); empty: the bind address,
 *                           {@code localhost}, {@code 127.0.0.1} and {@code ::1}; {@code "*"} answers any (no
 *                           DNS-rebinding protection)
 * @param clientTimeoutMs    how long a connection may go without any traffic (opened and silent, or idle between
 *                           requests) before the server closes it
 * @param requestTimeoutMs   how long a client may take to send one whole request (head and body), however steadily
 *                           it trickles bytes, before the server closes the connection
 * @param maxTriggers        the most triggers that may exist; creating one more is answered 409 {@code limit_reached}
 * @param maxTriggersPerSource the most triggers that may watch one source (409 {@code limit_reached} beyond)
 * @param corsAllowedOrigins the exact origins ({@code https://console.example.com}) whose browser pages may call the
 *                           API cross-origin; empty (the default): no CORS headers at all
 * @param authEnabled        whether {@code /api/...} requests need an API key ({@code Authorization: Bearer}); may be
 *                           false only when {@code host} is a loopback address
 * @param bootstrapKey       an admin API key (at least {@value #MIN_BOOTSTRAP_KEY_LENGTH} characters) stored as the
 *                           key {@code bootstrap}, or {@code null}: then a key is generated and printed once when the
 *                           store holds none; never shown by {@link #toString()}
 */
public record AdminConfig(String host, int port, long readinessGraceMs, List<String> allowedHosts,
                          long clientTimeoutMs, long requestTimeoutMs, int maxTriggers, int maxTriggersPerSource,
                          List<String> corsAllowedOrigins, boolean authEnabled, String bootstrapKey) {

  /** Loopback only: a dev run is not reachable from the network unless asked for. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_READINESS_GRACE_MS = 30_000;
  public static final long DEFAULT_CLIENT_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
  /** The load benchmarked (10,000 triggers on one source, docs/benchmarks.md), with room for nothing more. */
  public static final int DEFAULT_MAX_TRIGGERS = 10_000;
  public static final int DEFAULT_MAX_TRIGGERS_PER_SOURCE = 10_000;
  public static final boolean DEFAULT_AUTH_ENABLED = true;
  public static final int MIN_BOOTSTRAP_KEY_LENGTH = 32;

  public AdminConfig {
    Objects.requireNonNull(host, "host");
    allowedHosts = List.copyOf(allowedHosts);
    corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
  }

  /** As given; authentication on, with a generated first key. */
  public AdminConfig(String host, int port, long readinessGraceMs, List<String> allowedHosts, long clientTimeoutMs,
                     long requestTimeoutMs, int maxTriggers, int maxTriggersPerSource, List<String> corsAllowedOrigins) {
    this(host, port, readinessGraceMs, allowedHosts, clientTimeoutMs, requestTimeoutMs, maxTriggers,
        maxTriggersPerSource, corsAllowedOrigins, DEFAULT_AUTH_ENABLED, null);
  }

  /** As given up to the client timeout; request timeout, trigger limits, CORS origins and authentication defaults. */
  public AdminConfig(String host, int port, long readinessGraceMs, List<String> allowedHosts, long clientTimeoutMs) {
    this(host, port, readinessGraceMs, allowedHosts, clientTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS,
        DEFAULT_MAX_TRIGGERS, DEFAULT_MAX_TRIGGERS_PER_SOURCE, List.of());
  }

  /** This configuration with authentication as given. */
  public AdminConfig withAuthentication(boolean enabled, String key) {
    return new AdminConfig(host, port, readinessGraceMs, allowedHosts, clientTimeoutMs, requestTimeoutMs,
        maxTriggers, maxTriggersPerSource, corsAllowedOrigins, enabled, key);
  }

  /** This configuration with {@code key} as the bootstrap admin key. */
  public AdminConfig withBootstrapKey(String key) {
    return withAuthentication(authEnabled, key);
  }

  /** Host, port, readiness grace and allowed hosts as given, the client timeout at its default. */
  public AdminConfig(String host, int port, long readinessGraceMs, List<String> allowedHosts) {
    this(host, port, readinessGraceMs, allowedHosts, DEFAULT_CLIENT_TIMEOUT_MS);
  }

  /** Host, port and readiness grace as given, the allowed hosts at their default. */
  public AdminConfig(String host, int port, long readinessGraceMs) {
    this(host, port, readinessGraceMs, List.of());
  }

  /** Host and port as given, the readiness grace at its default. */
  public AdminConfig(String host, int port) {
    this(host, port, DEFAULT_READINESS_GRACE_MS);
  }

  /**
   * The {@code Host} names (lower case, IPv6 without brackets) the API answers for, or an empty set for any: the
   * configured ones, else the loopback names and the bind address unless it is a wildcard.
   */
  public Set<String> effectiveAllowedHosts() {
    if (allowedHosts.contains("*")) {
      return Set.of();
    }
    Set<String> hosts = new LinkedHashSet<>();
    if (allowedHosts.isEmpty()) {
      hosts.addAll(List.of("localhost", "127.0.0.1", "::1"));
      if (!host.equals("0.0.0.0") && !host.equals("::")) {
        hosts.add(host.toLowerCase(Locale.ROOT));
      }
    } else {
      allowedHosts.forEach(allowed -> hosts.add(allowed.toLowerCase(Locale.ROOT)));
    }
    return hosts;
  }

  @Override
  public String toString() {
    return "AdminConfig[host=" + host + ", port=" + port + ", readinessGraceMs=" + readinessGraceMs
        + ", allowedHosts=" + allowedHosts + ", clientTimeoutMs=" + clientTimeoutMs + ", requestTimeoutMs="
        + requestTimeoutMs + ", maxTriggers=" + maxTriggers + ", maxTriggersPerSource=" + maxTriggersPerSource
        + ", corsAllowedOrigins=" + corsAllowedOrigins + ", authEnabled=" + authEnabled
        + ", bootstrapKey=" + (bootstrapKey == null ? "none" : "(set)") + "]";
  }

  /** The {@code admin} section as written: each field left out takes its default, here and nowhere else. */
  @JsonCreator
  static AdminConfig fromFile(@JsonProperty("host") String host, @JsonProperty("port") Integer port,
                              @JsonProperty("readiness_grace_ms") Long readinessGraceMs,
                              @JsonProperty("allowed_hosts") @JsonDeserialize(using = TextListDeserializer.class)
                              List<String> allowedHosts,
                              @JsonProperty("client_timeout_ms") Long clientTimeoutMs,
                              @JsonProperty("request_timeout_ms") Long requestTimeoutMs,
                              @JsonProperty("max_triggers") Integer maxTriggers,
                              @JsonProperty("max_triggers_per_source") Integer maxTriggersPerSource,
                              @JsonProperty("cors_allowed_origins") @JsonDeserialize(using = TextListDeserializer.class)
                              List<String> corsAllowedOrigins,
                              @JsonProperty("auth_enabled") Boolean authEnabled,
                              @JsonProperty("bootstrap_key") String bootstrapKey) {
    return new AdminConfig(requireNonNullElse(host, DEFAULT_HOST), requireNonNullElse(port, DEFAULT_PORT),
        requireNonNullElse(readinessGraceMs, DEFAULT_READINESS_GRACE_MS), requireNonNullElse(allowedHosts, List.of()),
        requireNonNullElse(clientTimeoutMs, DEFAULT_CLIENT_TIMEOUT_MS),
        requireNonNullElse(requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS),
        requireNonNullElse(maxTriggers, DEFAULT_MAX_TRIGGERS),
        requireNonNullElse(maxTriggersPerSource, DEFAULT_MAX_TRIGGERS_PER_SOURCE),
        requireNonNullElse(corsAllowedOrigins, List.of()), requireNonNullElse(authEnabled, DEFAULT_AUTH_ENABLED),
        bootstrapKey);
  }

  /** What a file without an {@code admin} section gives. */
  public static AdminConfig defaults() {
    return fromFile(null, null, null, null, null, null, null, null, null, null, null);
  }
}
