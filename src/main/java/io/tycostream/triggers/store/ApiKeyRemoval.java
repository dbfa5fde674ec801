package io.tycostream.triggers.store;

/** What {@link ApiKeyStore#deleteApiKey} did. */
public enum ApiKeyRemoval {
  /** The key is gone; requests presenting it are refused from now on. */
  REMOVED,
  /** No key has that name. */
  NOT_FOUND,
  /** Kept: it is the last admin key that has not expired, and removing it would lock every admin out. */
  LAST_ADMIN
}
