package io.tycostream.triggers.testkit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * An independent implementation of Standard Webhooks signature verification, written for tests only so that the
 * production signer is checked against a second reading of the spec: HMAC-SHA256 keyed with the base64-decoded part
 * of {@code whsec_…} over {@code id.timestamp.body}, header {@code v1,<base64>} (several space-separated allowed).
 */
public final class StandardWebhooksVerifier {

  private StandardWebhooksVerifier() {
  }

  /** Whether any {@code v1} signature in {@code signatureHeader} matches {@code id.timestamp.body} under the secret. */
  public static boolean verifies(String secret, String id, String timestamp, byte[] body, String signatureHeader) {
    if (secret == null || !secret.startsWith("whsec_") || signatureHeader == null || id == null || timestamp == null) {
      return false;
    }
    byte[] expected = hmac(Base64.getDecoder().decode(secret.substring("whsec_".length())), id, timestamp, body);
    for (String candidate : signatureHeader.trim().split(" +")) {
      int comma = candidate.indexOf(',');
      if (comma < 0 || !candidate.substring(0, comma).equals("v1")) {
        continue;
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(candidate.substring(comma + 1));
      } catch (IllegalArgumentException notBase64) {
        continue;
      }
      if (MessageDigest.isEqual(expected, given)) {
        return true;
      }
    }
    return false;
  }

  /** Convenience for a received webhook. */
  public static boolean verifies(String secret, ReceivedWebhook webhook) {
    return verifies(secret, webhook.webhookId(), webhook.webhookTimestamp(), webhook.body().getBytes(),
      webhook.webhookSignature());
  }

  private static byte[] hmac(byte[] key, String id, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (Exception e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
