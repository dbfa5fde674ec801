package io.tycostream.triggers.config;

import java.util.Objects;

/**
 * Where the admin HTTP server (health, trigger REST API, demo receiver) listens.
 *
 * @param host the interface to bind; {@value #DEFAULT_HOST} by default, set {@code 0.0.0.0} in a container
 * @param port the TCP port, 0 for an ephemeral port (tests)
 */
public record AdminConfig(String host, int port) {

  /** Loopback only: a dev run is not reachable from the network unless asked for. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  public AdminConfig {
    Objects.requireNonNull(host, "host");
  }

  public static AdminConfig defaults() {
    return new AdminConfig(DEFAULT_HOST, DEFAULT_PORT);
  }
}
