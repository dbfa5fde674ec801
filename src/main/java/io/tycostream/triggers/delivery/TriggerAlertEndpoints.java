package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.TriggerDefinition;
import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.store.Store;
import io.vertx.core.Future;
import java.util.Objects;

/**
 * Resolves an alert stored for {@code trigger:<name>} ({@link io.tycostream.triggers.definition.TriggerAlertName}) to
 * where and how it is sent now: the trigger's current {@code alert_url}, signed like its webhooks (both secrets
 * during a rotation overlap). Read from the store at every attempt, so a PATCH of {@code alert_url}, a secret
 * rotation or a deletion applies to alerts not sent yet, on every node. Stateless; its futures complete on the
 * caller's context.
 */
final class TriggerAlertEndpoints {

  static final String TRIGGER_DELETED = "trigger deleted";
  static final String ALERT_URL_REMOVED = "trigger has no alert_url any more";

  /**
   * The outcome of a resolution: an endpoint, or why there is none (the alert cannot be sent any more).
   *
   * @param endpoint where to send it, {@code null} when {@code problem} is set
   * @param problem  why it cannot be sent, {@code null} when {@code endpoint} is set
   */
  record Resolution(AlertEndpoint endpoint, String problem) {
  }

  private final Store store;

  TriggerAlertEndpoints(Store store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** Resolves {@code alertName}, the outbox name of {@code trigger}'s alert_url. */
  Future<Resolution> resolve(String alertName, String trigger) {
    return store.getTrigger(trigger).map(found -> {
      if (found.isEmpty()) {
        return new Resolution(null, TRIGGER_DELETED);
      }
      TriggerEndpoint webhook = TriggerEndpoint.of(found.get());
      if (!webhook.usable()) {
        return new Resolution(null, webhook.problem());
      }
      // readable: TriggerEndpoint.of just read it
      TriggerDefinition definition = TriggerDefinitionParser.parse(found.get().definitionJson());
      if (definition.alertTarget() == null) {
        return new Resolution(null, ALERT_URL_REMOVED);
      }
      return new Resolution(AlertEndpoint.ofTrigger(alertName, definition.alertTarget(), webhook), null);
    });
  }
}
