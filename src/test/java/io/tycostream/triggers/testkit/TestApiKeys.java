package io.tycostream.triggers.testkit;

import io.tycostream.triggers.config.AdminConfig;

/**
 * The admin API key of tests: configured as {@code admin.bootstrap_key} of the services tests start, and sent by their
 * API clients as {@link #AUTHORIZATION}.
 */
public final class TestApiKeys {

  /** An admin key (the configured bootstrap key). */
  public static final String ADMIN = "test-admin-key-0123456789abcdefghijklmnop";
  /** The {@code Authorization} header value that presents {@link #ADMIN}. */
  public static final String AUTHORIZATION = "Bearer " + ADMIN;

  private TestApiKeys() {
  }

  /** The admin server on an ephemeral loopback port, with {@link #ADMIN} as its bootstrap key. */
  public static AdminConfig loopbackAdmin() {
    return new AdminConfig("127.0.0.1", 0).withBootstrapKey(ADMIN);
  }
}
