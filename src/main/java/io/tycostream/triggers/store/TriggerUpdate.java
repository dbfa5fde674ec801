package io.tycostream.triggers.store;

import java.util.Objects;

/**
 * A change to a stored trigger through the API ({@code PATCH}).
 *
 * @param name            the trigger
 * @param expectedVersion the version the client read ({@code If-Match}), or {@code null} to change any version
 * @param definitionJson  the whole new definition
 * @param enabled         whether it is evaluated and delivered from now on
 * @param reconcile       whether its matched state must be reconciled against a fresh snapshot of the source before
 *                        it evaluates again (its conditions changed, or it is enabled again)
 * @param actor           who changes it (recorded as {@code updated_by})
 */
public record TriggerUpdate(String name, Long expectedVersion, String definitionJson, boolean enabled,
                            boolean reconcile, String actor) {

  public TriggerUpdate {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(definitionJson, "definitionJson");
  }
}
