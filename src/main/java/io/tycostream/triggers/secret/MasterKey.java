package io.tycostream.triggers.secret;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A 256-bit AES key that seals webhook secrets at rest, with its key id: the first {@value #ID_HEX_CHARS} hex
 * characters of the SHA-256 of the key. The id is stored next to every ciphertext, so a store knows which key sealed
 * a secret (and can say so when that key is not configured) and keys can be rotated.
 * <p>
 * {@link #toString()} shows the id only. Immutable and thread-safe.
 */
public final class MasterKey {

  /** AES-256. */
  public static final int KEY_BYTES = 32;
  static final int ID_HEX_CHARS = 8;

  private final byte[] key;
  private final String id;

  private MasterKey(byte[] key) {
    this.key = key;
    this.id = idOf(key);
  }

  /**
   * A key of exactly {@value #KEY_BYTES} bytes.
   *
   * @throws IllegalArgumentException for any other length
   */
  public static MasterKey of(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("a master key must be " + KEY_BYTES + " bytes, was " + key.length);
    }
    return new MasterKey(key.clone());
  }

  /**
   * A key written as standard base64 of {@value #KEY_BYTES} bytes (surrounding whitespace ignored).
   *
   * @throws IllegalArgumentException naming what is wrong, never echoing the value
   */
  public static MasterKey fromBase64(String encoded) {
    if (encoded == null || encoded.isBlank()) {
      throw new IllegalArgumentException("a master key is missing");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded.strip());
    } catch (IllegalArgumentException notBase64) {
      throw new IllegalArgumentException("a master key must be base64 of " + KEY_BYTES + " bytes (it is not base64)");
    }
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("a master key must be base64 of " + KEY_BYTES + " bytes, it decodes to "
          + key.length + " bytes");
    }
    return new MasterKey(key);
  }

  /** The key id stored with each ciphertext. */
  public String id() {
    return id;
  }

  /** The key as base64, the form of {@code secrets.master_key} and of the key file. */
  public String toBase64() {
    return Base64.getEncoder().encodeToString(key);
  }

  byte[] bytes() {
    return key.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MasterKey other && MessageDigest.isEqual(key, other.key);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "MasterKey[id: " + id + "]";
  }

  private static String idOf(byte[] key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return HexFormat.of().formatHex(digest).substring(0, ID_HEX_CHARS).toLowerCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      // every Java SE runtime must provide SHA-256
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /** Only for messages: the key ids of {@code keys}, comma separated. */
  static String ids(Iterable<MasterKey> keys) {
    StringBuilder ids = new StringBuilder();
    for (MasterKey key : keys) {
      ids.append(ids.length() == 0 ? "" : ", ").append(key.id);
    }
    return ids.length() == 0 ? "none" : ids.toString();
  }
}
