package io.tycostream.triggers.config;

import java.util.Objects;

/**
 * Where the admin HTTP server (health, trigger REST API, demo receiver) listens.
 *
 * @param host               the interface to bind; {@value #DEFAULT_HOST} by default, set {@code 0.0.0.0} in a
 *                           container
 * @param port               the TCP port, 0 for an ephemeral port (tests)
 * @param readinessGraceMs   how long a source may go without committing a frontier (Materialize sends progress about
 *                           every second, so a healthy source commits at least that often) before
 *                           {@code /health/ready} answers 503 with the reason
 */
public record AdminConfig(String host, int port, long readinessGraceMs) {

  /** Loopback only: a dev run is not reachable from the network unless asked for. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_READINESS_GRACE_MS = 30_000;

  public AdminConfig {
    Objects.requireNonNull(host, "host");
  }

  /** Host and port as given, the readiness grace at its default. */
  public AdminConfig(String host, int port) {
    this(host, port, DEFAULT_READINESS_GRACE_MS);
  }

  public static AdminConfig defaults() {
    return new AdminConfig(DEFAULT_HOST, DEFAULT_PORT);
  }
}
