package io.tycostream.triggers.store;

import java.math.BigInteger;
import java.util.Objects;

/**
 * An event the evaluator decided to emit, written to the outbox by {@link Store#commit(SourceCommit)}.
 *
 * @param eventId         the deterministic id (design.md §1): the same change always yields the same id, so a
 *                        replayed commit inserts nothing new
 * @param triggerName     the trigger that emitted it
 * @param eventType       {@code FIRE}, {@code CLEAR} or another type the evaluator defines; not interpreted here
 * @param sourceTimestamp the source time of the change ({@code mz_timestamp}), may exceed 2^63
 * @param keyJson         the key as canonical JSON
 * @param dataJson        the row as JSON, sent as the payload's {@code data}
 * @param suppressed      why a delivery gate held it back (stored as {@code suppressed}, never sent), or {@code null}
 *                        to send it (unless the trigger is in debug mode)
 */
public record NewEvent(String eventId, String triggerName, String eventType, BigInteger sourceTimestamp,
                       String keyJson, String dataJson, SuppressedReason suppressed) {

  /** An event no gate held back. */
  public NewEvent(String eventId, String triggerName, String eventType, BigInteger sourceTimestamp, String keyJson,
                  String dataJson) {
    this(eventId, triggerName, eventType, sourceTimestamp, keyJson, dataJson, null);
  }

  public NewEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(triggerName, "triggerName");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(sourceTimestamp, "sourceTimestamp");
    Objects.requireNonNull(keyJson, "keyJson");
    Objects.requireNonNull(dataJson, "dataJson");
  }
}
