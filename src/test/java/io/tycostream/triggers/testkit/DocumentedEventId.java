package io.tycostream.triggers.testkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The event id as design.md §1 documents it, computed independently of the production code: the first 32 hex
 * characters of SHA-256 over {@code <trigger>:<canonical key JSON>:<mz_timestamp>}.
 */
public final class DocumentedEventId {

  private DocumentedEventId() {
  }

  /** For example {@code of("score_alert", "[1]", 1705316445123L)}. */
  public static String of(String trigger, String keyJson, long mzTimestamp) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((trigger + ":" + keyJson + ":" + mzTimestamp).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
