package io.tycostream.triggers.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What the delivery side observed for one HTTP attempt, recorded with the event's new status.
 *
 * @param startedAt  when the request was started
 * @param durationMs how long until the response or the failure
 * @param httpStatus the response status, {@code null} when no response arrived
 * @param error      a short failure description, {@code null} on success
 * @param responseExcerpt the first bytes of the answer's body (at most {@link #MAX_EXCERPT_BYTES}) as text, invalid
 *                   UTF-8 replaced; {@code null} when no answer arrived
 */
public record DeliveryAttempt(Instant startedAt, long durationMs, Integer httpStatus, String error,
                              String responseExcerpt) {

  /** How much of an answer's body an attempt keeps. */
  public static final int MAX_EXCERPT_BYTES = 512;

  /** An attempt without an answer body. */
  public DeliveryAttempt(Instant startedAt, long durationMs, Integer httpStatus, String error) {
    this(startedAt, durationMs, httpStatus, error, null);
  }

  public DeliveryAttempt {
    Objects.requireNonNull(startedAt, "startedAt");
    if (durationMs < 0) {
      throw new IllegalArgumentException("durationMs must not be negative: " + durationMs);
    }
  }
}
