package io.tycostream.triggers.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The deterministic id of an alert: the first 32 hex characters of {@code sha256("<type>:<subject>:<occasion>")},
 * like a trigger event's id. The same occurrence (one outage of one source, one gap, one dead letter) always gets
 * the same id, so raising it twice stores it once and a receiver deduplicates re-sends on {@code webhook-id}.
 */
final class AlertEventId {

  private AlertEventId() {
  }

  /**
   * @param subject  what it is about: a source name, or an event id
   * @param occasion what tells occurrences apart: the outage's start, the gap's frontier, the attempts
   */
  static String of(AlertType type, String subject, String occasion) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((type.name() + ":" + subject + ":" + occasion).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      // every JVM has SHA-256
      throw new IllegalStateException(e);
    }
  }
}
