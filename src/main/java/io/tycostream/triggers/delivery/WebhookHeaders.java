package io.tycostream.triggers.delivery;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The three Standard Webhooks headers of one delivery attempt.
 * <p>
 * {@code id} stays the same on every attempt of an event (receivers deduplicate on it); {@code timestamp} is the
 * attempt's send time in epoch seconds, as a decimal string; {@code signature} is a space-delimited list of
 * {@code v1,<base64>} signatures. Values are kept as received so a verifier sees exactly what was sent.
 *
 * @param id        value of {@value #ID}
 * @param timestamp value of {@value #TIMESTAMP}
 * @param signature value of {@value #SIGNATURE}
 */
public record WebhookHeaders(String id, String timestamp, String signature) {

  /** Header carrying the event id, the receiver's idempotency key. */
  public static final String ID = "webhook-id";
  /** Header carrying the attempt's send time in epoch seconds. */
  public static final String TIMESTAMP = "webhook-timestamp";
  /** Header carrying the space-delimited signatures. */
  public static final String SIGNATURE = "webhook-signature";

  /**
   * Reads the headers through a lookup such as {@code request.headers()::get}; a missing header becomes
   * {@code null} and is reported by the verifier, not here.
   */
  public static WebhookHeaders from(Function<String, String> headerLookup) {
    Objects.requireNonNull(headerLookup, "headerLookup");
    return new WebhookHeaders(headerLookup.apply(ID), headerLookup.apply(TIMESTAMP), headerLookup.apply(SIGNATURE));
  }

  /** The headers in sending order, ready to copy onto an HTTP request. */
  public Map<String, String> asMap() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(ID, id);
    headers.put(TIMESTAMP, timestamp);
    headers.put(SIGNATURE, signature);
    return headers;
  }
}
