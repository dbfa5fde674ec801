package io.tycostream.triggers.trigger;

import io.tycostream.triggers.store.StoredTrigger;

import java.time.Instant;
import java.util.Objects;

/**
 * One incarnation of a trigger: its name, when it was created, its version and its stored definition. A trigger
 * deleted and created again under the same name is a different incarnation, so the evaluator never mixes the state
 * of the two; a trigger changed through the API keeps its incarnation ({@link #sameIncarnation}) and its state.
 * Immutable.
 */
record TriggerIdentity(String name, Instant createdAt, long version, String definitionJson) {

  TriggerIdentity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(definitionJson, "definitionJson");
  }

  /** A first version. */
  TriggerIdentity(String name, Instant createdAt, String definitionJson) {
    this(name, createdAt, 1, definitionJson);
  }

  static TriggerIdentity of(StoredTrigger stored) {
    return new TriggerIdentity(stored.name(), stored.createdAt(), stored.version(), stored.definitionJson());
  }

  /** Whether {@code other} is this trigger, maybe at another version (not deleted and created again). */
  boolean sameIncarnation(TriggerIdentity other) {
    return other != null && name.equals(other.name) && createdAt.equals(other.createdAt);
  }
}
