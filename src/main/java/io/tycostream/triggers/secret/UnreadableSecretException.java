package io.tycostream.triggers.secret;

/**
 * A sealed webhook secret that cannot be opened: its key id names no configured master key, its authentication tag
 * fails (a wrong key with a colliding id, a tampered or swapped row), or it is not in the sealed format. The message
 * names the trigger and the key ids involved, never the secret.
 */
public final class UnreadableSecretException extends RuntimeException {

  private final String keyId;

  UnreadableSecretException(String message, String keyId, Throwable cause) {
    super(message, cause, false, cause != null);
    this.keyId = keyId;
  }

  /** The key id the ciphertext names, {@code null} when it is not in the sealed format at all. */
  public String keyId() {
    return keyId;
  }
}
