package io.tycostream.triggers.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A delivery attempt as stored in {@code delivery_attempts}.
 *
 * @param id            store-assigned id
 * @param eventId       the event
 * @param attemptNumber 1 for the first attempt of the event, then 2, 3, …
 * @param startedAt     when the request was started
 * @param durationMs    how long it took
 * @param httpStatus    the response status, {@code null} when no response arrived
 * @param error         the failure description, {@code null} on success
 * @param outcome       what the attempt led to
 * @param responseExcerpt the first bytes of the answer's body as text ({@link DeliveryAttempt#responseExcerpt()}),
 *                        {@code null} when no answer arrived or it was not recorded
 */
public record RecordedAttempt(long id, String eventId, int attemptNumber, Instant startedAt, long durationMs,
                              Integer httpStatus, String error, AttemptOutcome outcome, String responseExcerpt) {

  public RecordedAttempt {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** An attempt without a recorded answer body. */
  public RecordedAttempt(long id, String eventId, int attemptNumber, Instant startedAt, long durationMs,
                         Integer httpStatus, String error, AttemptOutcome outcome) {
    this(id, eventId, attemptNumber, startedAt, durationMs, httpStatus, error, outcome, null);
  }
}
