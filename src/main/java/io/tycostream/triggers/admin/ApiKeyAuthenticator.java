package io.tycostream.triggers.admin;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.store.ApiKeyStore;
import io.tycostream.triggers.store.StoredApiKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.Objects;

/**
 * Finds the actor of a presented API key: derives its hash on a worker thread ({@link ApiKeyHasher}), looks the hash
 * up in the store at every request (so revocation and expiry apply at once, on every node) and refuses unknown and
 * expired keys with {@link ErrorCode#UNAUTHENTICATED}. Thread-safe.
 */
final class ApiKeyAuthenticator {

  /** Longer presented keys are refused without hashing them. */
  private static final int MAX_KEY_LENGTH = 512;

  private final Vertx vertx;
  private final ApiKeyStore keys;
  private final ApiKeyHasher hasher;
  private final Clock clock;

  ApiKeyAuthenticator(Vertx vertx, ApiKeyStore keys, ApiKeyHasher hasher, Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Whether {@code presented} is a key this node found in the store before, so checking it costs no hash. */
  boolean knows(String presented) {
    return presented.length() <= MAX_KEY_LENGTH && hasher.remembers(presented);
  }

  Future<Actor> authenticate(String presented) {
    if (presented.length() < ApiKeyHasher.MIN_KEY_LENGTH || presented.length() > MAX_KEY_LENGTH) {
      return Future.failedFuture(refused("unknown API key"));
    }
    return vertx.executeBlocking(() -> hasher.hash(presented), false)
        .compose(hash -> keys.findApiKeyByHash(hash).map(found -> {
          StoredApiKey key = found.filter(stored -> ApiKeyHasher.sameHash(stored.keyHash(), hash))
              .orElseThrow(() -> refused("unknown API key"));
          if (key.expiredAt(clock.instant())) {
            throw refused("API key '" + key.name() + "' expired at " + key.expiresAt());
          }
          ApiKeyRole role = ApiKeyRole.fromWireName(key.role());
          if (role == null) {
            throw new IllegalStateException("API key '" + key.name() + "' has an unknown role in the store");
          }
          hasher.remember(presented, hash);
          return new Actor(key.name(), role);
        }));
  }

  private static ServiceException refused(String message) {
    return new ServiceException(ErrorCode.UNAUTHENTICATED, message);
  }
}
