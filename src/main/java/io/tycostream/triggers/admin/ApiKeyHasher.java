package io.tycostream.triggers.admin;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns an API key into what the store keeps: PBKDF2-HMAC-SHA256 with {@value #ITERATIONS} iterations (tens of
 * milliseconds), so a copy of the database does not give the keys back by guessing. The salt is fixed, which makes
 * the hash the lookup key of a presented key; keys are long random strings (or a configured bootstrap key of at least
 * {@value #MIN_KEY_LENGTH} characters), so per-key salts would add nothing against precomputation.
 * <p>
 * {@link #hash} is slow and blocking: call it on a worker thread. The hashes of keys that were found in the store are
 * remembered in memory (at most {@value #REMEMBERED} keys, indexed by a SHA-256 of the key) so a client's later
 * requests cost a lookup, not a derivation; revocation still takes effect at once because every request looks the
 * hash up in the store. Thread-safe.
 */
final class ApiKeyHasher {

  /** Shortest key accepted, generated or configured. */
  static final int MIN_KEY_LENGTH = 32;
  /** Prefix of generated keys, so a leaked one is recognisable (secret scanners). */
  static final String GENERATED_PREFIX = "tsk_";
  static final int ITERATIONS = 100_000;
  private static final int REMEMBERED = 1_024;
  private static final byte[] SALT = "tycostream-triggers/api-key/v1".getBytes(StandardCharsets.UTF_8);
  private static final String SCHEME = "pbkdf2-sha256$" + ITERATIONS + "$";

  private final Map<String, String> remembered = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > REMEMBERED;
    }
  };

  /** A new key: {@value #GENERATED_PREFIX} and 32 random bytes in base64url (256 bits). */
  static String generateKey(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return GENERATED_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The stored form of {@code key}; blocking (tens of milliseconds) unless the key was {@link #remember}ed. */
  String hash(String key) {
    String fingerprint = fingerprint(key);
    synchronized (remembered) {
      String known = remembered.get(fingerprint);
      if (known != null) {
        return known;
      }
    }
    try {
      byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(key.toCharArray(), SALT, ITERATIONS, 256))
          .getEncoded();
      return SCHEME + HexFormat.of().formatHex(derived);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
    }
  }

  /** Whether the hash of {@code key} is remembered, so {@link #hash} returns at once. */
  boolean remembers(String key) {
    String fingerprint = fingerprint(key);
    synchronized (remembered) {
      return remembered.containsKey(fingerprint);
    }
  }

  /** Keeps the hash of a key the store knows, so its next requests skip the derivation. */
  void remember(String key, String hash) {
    synchronized (remembered) {
      remembered.put(fingerprint(key), hash);
    }
  }

  /** Whether two stored hashes are equal, in time independent of where they differ. */
  static boolean sameHash(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static String fingerprint(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
