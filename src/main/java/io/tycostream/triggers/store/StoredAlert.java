package io.tycostream.triggers.store;

/**
 * An alert as stored in the {@link AlertOutbox}. Immutable.
 *
 * @param alertName     the configured alert endpoint
 * @param eventId       the alert's deterministic id
 * @param eventType     such as {@code SOURCE_DISCONNECTED}
 * @param dataJson      the {@code data} object of the payload, as JSON text
 * @param status        {@code pending}, {@code delivered} or {@code dead}
 * @param attempts      attempts recorded so far
 * @param createdAtMs   when it was raised, epoch ms
 * @param deliveredAtMs when its {@code 2xx} was recorded, or {@code null}
 * @param lastError     the error of the last failed attempt, or {@code null}
 */
public record StoredAlert(String alertName, String eventId, String eventType, String dataJson, String status,
                          int attempts, long createdAtMs, Long deliveredAtMs, String lastError) {
}
