package io.tycostream.triggers.definition;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * A webhook signing secret in the Standard Webhooks symmetric format: {@code whsec_} followed by the base64 of
 * 24 to 64 random key bytes.
 * <p>
 * The serialised form ({@link #value()}) is shown to the user once, when the secret is created; afterwards only
 * the signer uses the key. {@link #toString()} never reveals it, so a secret that ends up in a log line or an
 * exception message leaks nothing. Immutable and thread-safe.
 */
public final class WebhookSecret {

  /** Prefix that identifies a symmetric Standard Webhooks secret. */
  public static final String PREFIX = "whsec_";
  /** Key length of generated secrets: 256 bits, the HMAC-SHA256 block-size sweet spot. */
  public static final int GENERATED_KEY_BYTES = 32;
  /** Shortest key the Standard Webhooks specification allows (192 bits). */
  public static final int MIN_KEY_BYTES = 24;
  /** Longest key the Standard Webhooks specification allows (512 bits). */
  public static final int MAX_KEY_BYTES = 64;

  private final byte[] key;

  private WebhookSecret(byte[] key) {
    this.key = key;
  }

  /** Creates a new secret of {@value #GENERATED_KEY_BYTES} random bytes. */
  public static WebhookSecret generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] key = new byte[GENERATED_KEY_BYTES];
    random.nextBytes(key);
    return new WebhookSecret(key);
  }

  /**
   * Reads a secret in the {@code whsec_<base64>} form.
   *
   * @throws IllegalArgumentException naming what is wrong; the message never contains the secret itself
   */
  public static WebhookSecret parse(String serialised) {
    if (serialised == null || serialised.isEmpty()) {
      throw new IllegalArgumentException("webhook secret is missing");
    }
    if (!serialised.startsWith(PREFIX)) {
      throw new IllegalArgumentException("webhook secret must start with '" + PREFIX + "'");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(serialised.substring(PREFIX.length()));
    } catch (IllegalArgumentException notBase64) {
      throw new IllegalArgumentException("webhook secret after '" + PREFIX + "' is not valid base64");
    }
    if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("webhook secret key must be " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES
          + " bytes, was " + key.length + " bytes");
    }
    return new WebhookSecret(key);
  }

  /** The {@code whsec_<base64>} form: return it to the user once, store it, never log it. */
  public String value() {
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** A copy of the decoded key bytes, the HMAC key. */
  public byte[] keyBytes() {
    return key.clone();
  }

  /** Number of key bytes. */
  public int keyLength() {
    return key.length;
  }

  @Override
  public boolean equals(Object o) {
    // constant time, so comparing secrets (e.g. during rotation) does not leak where they differ
    return o instanceof WebhookSecret other && MessageDigest.isEqual(key, other.key);
  }

  @Override
  public int hashCode() {
    // deliberately weak: a hash derived from the key would leak bits of it
    return key.length;
  }

  @Override
  public String toString() {
    return "WebhookSecret[" + PREFIX + "***, " + key.length + " bytes]";
  }
}
