package io.tycostream.triggers.trigger;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One FIRE or CLEAR of a trigger for one key, as the evaluator writes it to the outbox.
 * <p>
 * Immutable. {@code data} is the row that caused the event (for the CLEAR of a deleted key, its last known row),
 * typed as {@link io.tycostream.triggers.source.ColumnType} documents; encode it with {@link RowJson}.
 *
 * @param eventId         {@link EventId#of} the trigger, key and source timestamp: identical on every replay
 * @param type            FIRE or CLEAR
 * @param triggerName     the trigger's name
 * @param key             the key column values, in key order
 * @param sourceTimestamp the {@code mz_timestamp} of the change that caused the event
 * @param data            the row carried in the payload
 */
public record TriggerEvent(String eventId, EventType type, String triggerName, List<Object> key,
                           BigInteger sourceTimestamp, Map<String, Object> data) {

  public TriggerEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(triggerName, "triggerName");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(sourceTimestamp, "sourceTimestamp");
    Objects.requireNonNull(data, "data");
  }
}
