package io.tycostream.triggers.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An admin API key as the store keeps it: never the key, only its hash.
 *
 * @param name      unique; the actor recorded on what the key changes
 * @param role      {@code read}, {@code write} or {@code admin}
 * @param keyHash   the slow hash of the key, which is also how a presented key is looked up
 * @param createdAt when the key was created
 * @param createdBy the name of the key that created it, or {@code config} / {@code generated} for a bootstrap key
 * @param expiresAt when the key stops working, or {@code null} for never
 */
public record StoredApiKey(String name, String role, String keyHash, Instant createdAt, String createdBy,
                           Instant expiresAt) {

  public StoredApiKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(createdBy, "createdBy");
  }

  /** Whether the key has expired at {@code now}. */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
