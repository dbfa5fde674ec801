package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.delivery.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies webhooks with the Standard Webhooks symmetric scheme: HMAC-SHA256, keyed with the decoded
 * secret bytes, over {@code <webhook-id>.<webhook-timestamp>.<body>}, sent as {@code webhook-signature: v1,<base64>}.
 * <p>
 * The body is signed as the exact bytes that go on the wire; callers must send the same array they signed and
 * never re-serialise it. With several secrets (rotation) every secret signs and the signatures are sent
 * space-delimited, so a receiver holding either the old or the new secret accepts the webhook.
 * <p>
 * Thread-safe: the keys are immutable and every call creates its own {@link Mac}.
 */
public final class WebhookSigner {

  /** Signature identifier of the symmetric scheme. */
  public static final String SIGNATURE_VERSION = "v1";
  /** How far a verified timestamp may be from the verifier's clock, in either direction. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private static final String ALGORITHM = "HmacSHA256";
  private static final String VERSION_PREFIX = SIGNATURE_VERSION + ",";
  private static final byte DELIMITER = '.';

  private final List<SecretKeySpec> keys;

  private WebhookSigner(List<SecretKeySpec> keys) {
    this.keys = keys;
  }

  /** A signer using {@code current} and, during a rotation, the secrets it replaces. */
  public static WebhookSigner create(WebhookSecret current, WebhookSecret... previous) {
    List<WebhookSecret> secrets = new ArrayList<>();
    secrets.add(Objects.requireNonNull(current, "current"));
    for (WebhookSecret secret : previous) {
      secrets.add(Objects.requireNonNull(secret, "previous secret"));
    }
    return create(secrets);
  }

  /** A signer using every secret in {@code secrets}; the list must not be empty. */
  public static WebhookSigner create(List<WebhookSecret> secrets) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("secrets must not be empty");
    }
    List<SecretKeySpec> keys = secrets.stream().map(s -> new SecretKeySpec(s.keyBytes(), ALGORITHM)).toList();
    return new WebhookSigner(keys);
  }

  /** Signs one attempt sent at {@code sendTime}; the timestamp header carries its epoch seconds. */
  public WebhookHeaders sign(String webhookId, Instant sendTime, byte[] body) {
    return sign(webhookId, sendTime.getEpochSecond(), body);
  }

  /**
   * Signs one attempt with an explicit epoch-second timestamp.
   *
   * @throws IllegalArgumentException if the id is empty or contains a {@code .} or whitespace (it would make the
   *                                  signed content ambiguous or the header invalid)
   */
  public WebhookHeaders sign(String webhookId, long epochSeconds, byte[] body) {
    requireSafeId(webhookId);
    Objects.requireNonNull(body, "body");
    String timestamp = Long.toString(epochSeconds);
    StringBuilder signatures = new StringBuilder();
    for (SecretKeySpec key : keys) {
      if (signatures.length() > 0) {
        signatures.append(' ');
      }
      signatures.append(VERSION_PREFIX).append(Base64.getEncoder().encodeToString(hmac(key, webhookId, timestamp,
          body)));
    }
    return new WebhookHeaders(webhookId, timestamp, signatures.toString());
  }

  /** Verifies with the {@link #DEFAULT_TOLERANCE default tolerance}. */
  public void verify(WebhookHeaders headers, byte[] body, Instant now) {
    verify(headers, body, now, DEFAULT_TOLERANCE);
  }

  /**
   * Verifies a received webhook: all headers present, the timestamp within {@code tolerance} of {@code now} in
   * either direction, and at least one {@code v1} signature matching the exact {@code body} bytes under one of
   * this signer's secrets. Signatures of other versions are ignored, as the specification asks.
   *
   * @throws WebhookVerificationException with the reason, when any check fails
   */
  public void verify(WebhookHeaders headers, byte[] body, Instant now, Duration tolerance) {
    Objects.requireNonNull(body, "body");
    if (tolerance.isNegative()) {
      throw new IllegalArgumentException("tolerance must not be negative, was " + tolerance);
    }
    requirePresent(headers.id(), WebhookHeaders.ID);
    requirePresent(headers.timestamp(), WebhookHeaders.TIMESTAMP);
    requirePresent(headers.signature(), WebhookHeaders.SIGNATURE);
    checkTimestamp(parseTimestamp(headers.timestamp()), now, tolerance);

    List<byte[]> expected = new ArrayList<>(keys.size());
    for (SecretKeySpec key : keys) {
      expected.add(hmac(key, headers.id(), headers.timestamp(), body));
    }
    for (String candidate : headers.signature().split(" ")) {
      byte[] received = decodeV1(candidate);
      if (received == null) {
        continue;
      }
      for (byte[] mac : expected) {
        if (MessageDigest.isEqual(mac, received)) {
          return;
        }
      }
    }
    throw new WebhookVerificationException(Reason.NO_MATCHING_SIGNATURE,
        "no " + SIGNATURE_VERSION + " signature in " + WebhookHeaders.SIGNATURE + " matches the body");
  }

  @Override
  public String toString() {
    return "WebhookSigner[" + keys.size() + " secret(s)]";
  }

  private static byte[] hmac(SecretKeySpec key, String id, String timestamp, byte[] body) {
    Mac mac;
    try {
      mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
    } catch (GeneralSecurityException e) {
      // every Java SE runtime must provide HmacSHA256, so this is a broken runtime, not a bad input
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
    // fed piecewise so the body is hashed in place, byte for byte as sent
    mac.update(id.getBytes(StandardCharsets.UTF_8));
    mac.update(DELIMITER);
    mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
    mac.update(DELIMITER);
    return mac.doFinal(body);
  }

  private static byte[] decodeV1(String candidate) {
    if (!candidate.startsWith(VERSION_PREFIX)) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(candidate.substring(VERSION_PREFIX.length()));
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }

  private static void requireSafeId(String webhookId) {
    if (webhookId == null || webhookId.isEmpty()) {
      throw new IllegalArgumentException("webhookId must not be empty");
    }
    for (int i = 0; i < webhookId.length(); i++) {
      char c = webhookId.charAt(i);
      if (c == DELIMITER || Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException("webhookId must not contain '.', whitespace or control characters");
      }
    }
  }

  private static void requirePresent(String value, String header) {
    if (value == null || value.isBlank()) {
      throw new WebhookVerificationException(Reason.MISSING_HEADER, "missing header " + header);
    }
  }

  private static long parseTimestamp(String timestamp) {
    // digits only: a sign, a fraction or 19+ digits is not an epoch-second timestamp we could have sent
    if (timestamp.length() > 18 || !timestamp.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new WebhookVerificationException(Reason.MALFORMED_TIMESTAMP,
          WebhookHeaders.TIMESTAMP + " is not an integer number of seconds");
    }
    return Long.parseLong(timestamp);
  }

  private static void checkTimestamp(long sentSeconds, Instant now, Duration tolerance) {
    long skew = now.getEpochSecond() - sentSeconds;
    if (skew > tolerance.getSeconds()) {
      throw new WebhookVerificationException(Reason.TIMESTAMP_TOO_OLD,
          WebhookHeaders.TIMESTAMP + " is " + skew + " s old, tolerance is " + tolerance.getSeconds() + " s");
    }
    if (-skew > tolerance.getSeconds()) {
      throw new WebhookVerificationException(Reason.TIMESTAMP_TOO_NEW,
          WebhookHeaders.TIMESTAMP + " is " + -skew + " s in the future, tolerance is " + tolerance.getSeconds()
              + " s");
    }
  }
}
