package io.tycostream.triggers.app.crash;

/**
 * A webhook the reference model says a crash-free run sends. Immutable.
 *
 * @param eventId     the documented id, computed by {@link ReferenceTriggers#eventId}
 * @param eventType   {@code FIRE} or {@code CLEAR}
 * @param trigger     the trigger's name
 * @param mzTimestamp the change's Materialize timestamp
 * @param row         the row the event carries
 */
public record ExpectedEvent(String eventId, String eventType, String trigger, long mzTimestamp, PositionRow row) {
}
