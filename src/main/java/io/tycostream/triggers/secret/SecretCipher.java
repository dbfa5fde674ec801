package io.tycostream.triggers.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals webhook secrets for storage with AES-256-GCM under the current {@link MasterKey}, and opens them under the
 * current or a previous one.
 * <p>
 * A sealed secret is one self-describing text, {@code v1:<key id>:<base64(nonce | ciphertext | tag)>}, with a fresh
 * 96-bit random nonce per seal and a 128-bit tag. The associated data binds the owner (the trigger name), so a
 * ciphertext copied to another trigger's row does not open. Anything not starting with {@value #FORMAT_PREFIX} is
 * plaintext written before secrets were sealed ({@link #isSealed}).
 * <p>
 * Thread-safe: keys are immutable and every call creates its own {@link Cipher}.
 */
public final class SecretCipher {

  /** Version tag that starts every sealed secret. */
  public static final String FORMAT_PREFIX = "v1:";

  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String ASSOCIATED_DATA_PREFIX = "tycostream-triggers/webhook-secret/v1/";

  private final MasterKey current;
  private final Map<String, MasterKey> keysById;
  private final SecureRandom random;

  private SecretCipher(MasterKey current, Map<String, MasterKey> keysById, SecureRandom random) {
    this.current = current;
    this.keysById = keysById;
    this.random = random;
  }

  /**
   * A cipher that seals under {@code current} and opens under it or any of {@code previous}.
   *
   * @throws IllegalArgumentException when two keys share a key id but differ (practically impossible by chance)
   */
  public static SecretCipher create(MasterKey current, List<MasterKey> previous) {
    Objects.requireNonNull(current, "current");
    Map<String, MasterKey> keys = new LinkedHashMap<>();
    keys.put(current.id(), current);
    for (MasterKey key : previous) {
      MasterKey known = keys.putIfAbsent(key.id(), key);
      if (known != null && !known.equals(key)) {
        throw new IllegalArgumentException("two different master keys have the same key id " + key.id());
      }
    }
    return new SecretCipher(current, Map.copyOf(keys), new SecureRandom());
  }

  /** Whether {@code stored} is in the sealed format (otherwise it is legacy plaintext). */
  public static boolean isSealed(String stored) {
    return stored != null && stored.startsWith(FORMAT_PREFIX);
  }

  /** The id of the key that sealed {@code stored}, {@code null} when it is not sealed or malformed. */
  public static String keyIdOf(String stored) {
    if (!isSealed(stored)) {
      return null;
    }
    int end = stored.indexOf(':', FORMAT_PREFIX.length());
    return end < 0 ? null : stored.substring(FORMAT_PREFIX.length(), end);
  }

  /** The id of the key new secrets are sealed under. */
  public String currentKeyId() {
    return current.id();
  }

  /** Whether {@code stored} is sealed under the current key (nothing to re-encrypt). */
  public boolean isCurrent(String stored) {
    return current.id().equals(keyIdOf(stored));
  }

  /** Seals {@code secret} of {@code owner} under the current key. */
  public String seal(String owner, String secret) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(secret, "secret");
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed = crypt(Cipher.ENCRYPT_MODE, current, nonce, owner, secret.getBytes(StandardCharsets.UTF_8));
    ByteBuffer payload = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
    return FORMAT_PREFIX + current.id() + ":" + Base64.getEncoder().encodeToString(payload.array());
  }

  /**
   * Opens a secret sealed by {@link #seal} for the same {@code owner}.
   *
   * @throws UnreadableSecretException when the key id is not configured, the tag fails or the text is malformed
   */
  public String open(String owner, String stored) {
    Objects.requireNonNull(owner, "owner");
    String keyId = keyIdOf(stored);
    if (keyId == null) {
      throw new UnreadableSecretException("the stored secret of trigger '" + owner + "' is not a sealed secret",
          null, null);
    }
    MasterKey key = keysById.get(keyId);
    if (key == null) {
      throw new UnreadableSecretException("the secret of trigger '" + owner + "' is sealed under master key id '"
          + keyId + "', which is not configured (configured key ids: " + MasterKey.ids(keysById.values())
          + "); start with that master key, or list it in secrets.previous_master_keys", keyId, null);
    }
    byte[] payload;
    try {
      payload = Base64.getDecoder().decode(stored.substring(FORMAT_PREFIX.length() + keyId.length() + 1));
    } catch (IllegalArgumentException notBase64) {
      throw new UnreadableSecretException("the sealed secret of trigger '" + owner + "' is malformed", keyId, null);
    }
    if (payload.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new UnreadableSecretException("the sealed secret of trigger '" + owner + "' is truncated", keyId, null);
    }
    byte[] nonce = Arrays.copyOfRange(payload, 0, NONCE_BYTES);
    byte[] sealed = Arrays.copyOfRange(payload, NONCE_BYTES, payload.length);
    try {
      return new String(crypt(Cipher.DECRYPT_MODE, key, nonce, owner, sealed), StandardCharsets.UTF_8);
    } catch (TagMismatch mismatch) {
      throw new UnreadableSecretException("the secret of trigger '" + owner + "' does not decrypt under master key id '"
          + keyId + "' (the authentication tag fails: a different key with the same id, or a tampered or moved row)",
          keyId, mismatch.getCause());
    }
  }

  @Override
  public String toString() {
    List<String> previous = new ArrayList<>(keysById.keySet());
    previous.remove(current.id());
    return "SecretCipher[current: " + current.id() + ", previous: " + previous + "]";
  }

  private static byte[] crypt(int mode, MasterKey key, byte[] nonce, String owner, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(mode, new SecretKeySpec(key.bytes(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD((ASSOCIATED_DATA_PREFIX + owner).getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (AEADBadTagException badTag) {
      throw new TagMismatch(badTag);
    } catch (GeneralSecurityException e) {
      // every Java SE runtime provides AES/GCM/NoPadding: a broken runtime, not a bad input
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /** Carries a failed tag check out of {@link #crypt} without widening its signature. */
  private static final class TagMismatch extends RuntimeException {
    TagMismatch(AEADBadTagException cause) {
      super(cause);
    }
  }
}
