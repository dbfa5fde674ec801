package io.tycostream.triggers.store;

import java.util.Objects;

/**
 * A trigger as the admin API creates it; the store adds status and timestamps.
 *
 * @param name           unique trigger name
 * @param source         the configured source it watches
 * @param definitionJson the trigger definition (webhook, fire, clear, options) as JSON text; the store does not
 *                       interpret it
 * @param secret         the webhook signing secret
 * @param createdBy      who creates it: the API key's name, {@code config} for the configuration file; {@code null}
 *                       when not known
 */
public record NewTrigger(String name, String source, String definitionJson, String secret, String createdBy) {

  public NewTrigger {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(definitionJson, "definitionJson");
    Objects.requireNonNull(secret, "secret");
  }

  /** A trigger whose creator is not recorded. */
  public NewTrigger(String name, String source, String definitionJson, String secret) {
    this(name, source, definitionJson, secret, null);
  }
}
