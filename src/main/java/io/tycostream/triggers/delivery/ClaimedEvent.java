package io.tycostream.triggers.delivery;

import io.tycostream.triggers.store.StoredEvent;
import java.util.Objects;

/**
 * A claimed event, or a batch of claimed events, on its way through a lane as one unit: the event as its claim
 * returned it (for a batch, its first member), the trigger's endpoint when it was routed, and the key whose units
 * leave one after the other. Immutable.
 *
 * @param event       the claimed event; for a batch its first member in delivery order
 * @param endpoint    where and how its trigger's webhooks go
 * @param orderingKey the trigger and the row key (a batch: the trigger and the batch id): one unit of a key is in
 *                    flight at a time
 * @param batch       the batch this unit sends, {@code null} for a single event
 */
record ClaimedEvent(StoredEvent event, TriggerEndpoint endpoint, String orderingKey, EventBatch batch) {

  ClaimedEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(orderingKey, "orderingKey");
  }

  /** A single event. */
  ClaimedEvent(StoredEvent event, TriggerEndpoint endpoint, String orderingKey) {
    this(event, endpoint, orderingKey, null);
  }

  static ClaimedEvent of(StoredEvent event, TriggerEndpoint endpoint) {
    return new ClaimedEvent(event, endpoint, event.triggerName() + '\u0000' + event.keyJson());
  }

  /**
   * A batch as one unit. Batches of one trigger do not wait for each other (their members' keys may be in flight in
   * another batch); within a batch the receiver gets the events in order.
   */
  static ClaimedEvent ofBatch(EventBatch batch, TriggerEndpoint endpoint) {
    StoredEvent first = batch.first();
    return new ClaimedEvent(first, endpoint, first.triggerName() + '\u0000' + batch.batchId(), batch);
  }

  boolean isBatch() {
    return batch != null;
  }
}
