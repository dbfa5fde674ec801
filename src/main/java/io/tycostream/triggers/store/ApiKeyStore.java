package io.tycostream.triggers.store;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

/**
 * The admin API keys, kept as hashes ({@link StoredApiKey}). Threading and failures as {@link Store}.
 */
public interface ApiKeyStore {

  /** Stores a new key; {@code false} when the name is taken (nothing changed). */
  Future<Boolean> createApiKey(StoredApiKey key);

  /**
   * Stores the bootstrap admin key under {@code key.name()}: created when absent, its hash replaced (and made a
   * non-expiring admin key again) when it differs.
   */
  Future<Void> putBootstrapKey(StoredApiKey key);

  /** The key with this hash, expired or not. */
  Future<Optional<StoredApiKey>> findApiKeyByHash(String keyHash);

  /** Every key, by name. */
  Future<List<StoredApiKey>> listApiKeys();

  Future<Long> countApiKeys();

  /** Removes a key, unless it is the last admin key not expired at {@code nowMs}. */
  Future<ApiKeyRemoval> deleteApiKey(String name, long nowMs);
}
