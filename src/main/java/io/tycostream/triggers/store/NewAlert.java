package io.tycostream.triggers.store;

import java.util.Objects;

/**
 * One alert for one endpoint, to be stored with {@link AlertOutbox#insert}. Immutable.
 *
 * @param alertName   the configured alert endpoint
 * @param eventId     the alert's deterministic id (the {@code webhook-id}); the same alert always has the same id
 * @param eventType   such as {@code SOURCE_DISCONNECTED}
 * @param dataJson    the {@code data} object of the payload, as JSON text
 * @param createdAtMs when it was raised, epoch ms; it is due at once
 */
public record NewAlert(String alertName, String eventId, String eventType, String dataJson, long createdAtMs) {

  public NewAlert {
    Objects.requireNonNull(alertName, "alertName");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(dataJson, "dataJson");
  }
}
