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
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes sure an admin can get in: with {@code admin.bootstrap_key} configured, that key is stored (hashed) as the
 * admin key {@value #NAME}, replacing an earlier configured one; without it, and while the store holds no key at all,
 * a key is generated, stored as {@value #NAME} and printed once on standard output (never logged). A configured key
 * that is new (first stored, or different from the stored one) is a configuration change: it is in the audit log as
 * {@code api_key.create} by {@code config}, with the replaced key's entry as {@code before} (never a key or a hash).
 * Nodes starting together store one key: the insert of the name is the arbiter, and only its winner prints.
 */
final class ApiKeyBootstrap {

  static final String NAME = "bootstrap";
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyBootstrap.class);

  private final Vertx vertx;
  private final ApiKeyStore keys;
  private final ApiKeyHasher hasher;
  private final Clock clock;
  private final PrintStream console;
  private final AuditRecorder audit;

  /** @param audit records a configured key that is stored or replaces another ({@code api_key.create}, by config) */
  ApiKeyBootstrap(Vertx vertx, ApiKeyStore keys, ApiKeyHasher hasher, Clock clock, PrintStream console,
                  AuditRecorder audit) {
    this.audit = Objects.requireNonNull(audit, "audit");
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
          .compose(hash -> storedBootstrapKey().compose(before -> {
            // milliseconds, as the store keeps them: the audited entry is the key as it will be read back
            StoredApiKey after = new StoredApiKey(NAME, ApiKeyRole.ADMIN.wireName(), hash,
                clock.instant().truncatedTo(ChronoUnit.MILLIS), "config", null);
            return keys.putBootstrapKey(after)
                .onSuccess(stored -> hasher.remember(configuredKey, hash))
                .compose(stored -> before.isPresent() && ApiKeyHasher.sameHash(before.get().keyHash(), hash)
                    ? Future.succeededFuture()
                    : audit.record(ChangeAuthor.config(), AuditRecorder.API_KEY_CREATE, NAME,
                        before.map(ApiKeyRoutes::json).orElse(null), ApiKeyRoutes.json(after)));
          }))
          .onSuccess(stored -> LOG.info("admin API key '{}' is the configured admin.bootstrap_key", NAME));
    }
    return keys.countApiKeys().compose(count -> count > 0 ? Future.succeededFuture() : generate());
  }

  /** The key stored as {@value #NAME}, if any: a configured key that is not new is no change to audit. */
  private Future<Optional<StoredApiKey>> storedBootstrapKey() {
    return keys.listApiKeys().map(all -> all.stream().filter(key -> key.name().equals(NAME)).findFirst());
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
