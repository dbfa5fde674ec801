package io.tycostream.triggers.trigger;

import io.tycostream.triggers.store.StoredTrigger;

import java.time.Instant;
import java.util.Objects;

/**
 * One incarnation of a trigger: its name, when it was created, and its stored definition. A trigger deleted and
 * created again under the same name is a different incarnation, so the evaluator never mixes the state of the two.
 * Immutable.
 */
record TriggerIdentity(String name, Instant createdAt, String definitionJson) {

  TriggerIdentity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(definitionJson, "definitionJson");
  }

  static TriggerIdentity of(StoredTrigger stored) {
    return new TriggerIdentity(stored.name(), stored.createdAt(), stored.definitionJson());
  }
}
