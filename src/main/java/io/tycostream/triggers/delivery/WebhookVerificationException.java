package io.tycostream.triggers.delivery;

import java.util.Objects;

/**
 * A webhook that failed verification, with a machine-readable {@link Reason} and a message fit to log or to
 * return to the sender (it never contains the secret or the expected signature).
 */
public final class WebhookVerificationException extends RuntimeException {

  /** Why a webhook was rejected. */
  public enum Reason {
    /** A {@code webhook-*} header is absent or empty. */
    MISSING_HEADER,
    /** {@code webhook-timestamp} is not an integer number of seconds. */
    MALFORMED_TIMESTAMP,
    /** The timestamp is older than the tolerance allows: a possible replay. */
    TIMESTAMP_TOO_OLD,
    /** The timestamp is further in the future than the tolerance allows. */
    TIMESTAMP_TOO_NEW,
    /** No {@code v1} signature in the header matches the body under any known secret. */
    NO_MATCHING_SIGNATURE
  }

  private final Reason reason;

  public WebhookVerificationException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
