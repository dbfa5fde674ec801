package io.tycostream.triggers.admin;

import io.tycostream.triggers.store.ApiKeyStore;
import io.tycostream.triggers.store.StoredApiKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * Makes sure an admin can get in: with {@code admin.bootstrap_key} configured, that key is stored (hashed) as the
 * admin key {@value #NAME}, replacing an earlier configured one; without it, and while the store holds no key at all,
 * a key is generated, stored as {@value #NAME} and printed once on standard output (never logged). Nodes starting
 * together store one key: the insert of the name is the arbiter, and only its winner prints.
 */
final class ApiKeyBootstrap {

  static final String NAME = "bootstrap";
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyBootstrap.class);

  private final Vertx vertx;
  private final ApiKeyStore keys;
  private final ApiKeyHasher hasher;
  private final Clock clock;
  private final PrintStream console;

  ApiKeyBootstrap(Vertx vertx, ApiKeyStore keys, ApiKeyHasher hasher, Clock clock, PrintStream console) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.console = Objects.requireNonNull(console, "console");
  }

  /** @param configuredKey {@code admin.bootstrap_key}, or {@code null} */
  Future<Void> ensureAdminKey(String configuredKey) {
    if (configuredKey != null) {
      return vertx.executeBlocking(() -> hasher.hash(configuredKey), false)
          .compose(hash -> keys.putBootstrapKey(new StoredApiKey(NAME, ApiKeyRole.ADMIN.wireName(), hash,
              clock.instant(), "config", null)).onSuccess(stored -> hasher.remember(configuredKey, hash)))
          .onSuccess(stored -> LOG.info("admin API key '{}' is the configured admin.bootstrap_key", NAME));
    }
    return keys.countApiKeys().compose(count -> count > 0 ? Future.succeededFuture() : generate());
  }

  private Future<Void> generate() {
    String key = ApiKeyHasher.generateKey(new SecureRandom());
    return vertx.executeBlocking(() -> hasher.hash(key), false)
        .compose(hash -> keys.createApiKey(new StoredApiKey(NAME, ApiKeyRole.ADMIN.wireName(), hash,
            clock.instant(), "generated", null)))
        .map(created -> {
          if (created) {
            console.println("""

                ==============================================================================
                 tycostream-triggers generated the first admin API key (shown only this once):

                   %s

                 Send it as 'Authorization: Bearer <key>'. Create named keys with
                 POST /api/v1/api-keys, then revoke this one, or set admin.bootstrap_key.
                ==============================================================================
                """.formatted(key));
            LOG.warn("no API key existed: generated the admin key '{}' and printed it once on standard output", NAME);
          }
          return null;
        });
  }
}
