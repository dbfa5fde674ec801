package io.tycostream.triggers.delivery;

import io.tycostream.triggers.store.StoredEvent;
import java.util.Objects;

/**
 * A claimed event on its way through a lane: the event as its claim returned it, the trigger's endpoint when it was
 * routed, and the key whose events leave one after the other. Immutable.
 *
 * @param event       the claimed event
 * @param endpoint    where and how its trigger's webhooks go
 * @param orderingKey the trigger and the row key: one event of a key is in flight at a time
 */
record ClaimedEvent(StoredEvent event, TriggerEndpoint endpoint, String orderingKey) {

  ClaimedEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(orderingKey, "orderingKey");
  }

  static ClaimedEvent of(StoredEvent event, TriggerEndpoint endpoint) {
    return new ClaimedEvent(event, endpoint, event.triggerName() + '\u0000' + event.keyJson());
  }
}
