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
 */
public record DeliveryAttempt(Instant startedAt, long durationMs, Integer httpStatus, String error) {

  public DeliveryAttempt {
    Objects.requireNonNull(startedAt, "startedAt");
    if (durationMs < 0) {
      throw new IllegalArgumentException("durationMs must not be negative: " + durationMs);
    }
  }
}
