package io.tycostream.triggers.trigger;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Event ids: the same trigger, key and source timestamp give the same id on every replay, so receivers can
 * deduplicate. <b>A public contract.</b>
 * <p>
 * {@code id = lowercase hex of SHA-256(UTF-8 bytes of "<trigger>:<key>:<mz_timestamp>")}, first 32 characters,
 * where {@code <key>} is {@link CanonicalKey#json} of the key values and {@code <mz_timestamp>} is the plain decimal
 * of the source timestamp. Example input: {@code risk_alert:["A-7"]:1705316445123}. Thread-safe.
 */
public final class EventId {

  private static final int LENGTH = 32;
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(EventId::newDigest);

  private EventId() {
  }

  public static String of(String triggerName, List<Object> key, BigInteger mzTimestamp) {
    return of(triggerName, CanonicalKey.json(key), mzTimestamp);
  }

  /** The id for a key already in canonical form ({@link CanonicalKey#json}). */
  public static String of(String triggerName, String canonicalKey, BigInteger mzTimestamp) {
    String input = triggerName + ':' + canonicalKey + ':' + mzTimestamp.toString();
    MessageDigest digest = SHA256.get();
    digest.reset();
    byte[] hash = digest.digest(input.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(hash, 0, LENGTH / 2);
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
