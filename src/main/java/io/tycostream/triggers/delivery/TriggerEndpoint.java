package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.definition.WebhookTarget;
import io.tycostream.triggers.store.StoredTrigger;
import java.util.Objects;

/**
 * What delivery needs of a trigger: where to POST and how to sign, read once from its stored definition and secret.
 * A trigger whose URL or secret cannot be used is still represented, with {@link #problem()} saying why, so its
 * events fail their attempts with that reason (and follow the retry policy) instead of being silently stuck.
 * Immutable and thread-safe.
 *
 * @param name    the trigger's name
 * @param target  the webhook URL, {@code null} when {@code problem} is set
 * @param signer  the signer for the trigger's secret, {@code null} when {@code problem} is set
 * @param problem why the trigger cannot be delivered to, {@code null} when it can
 */
public record TriggerEndpoint(String name, WebhookTarget target, WebhookSigner signer, String problem) {

  public TriggerEndpoint {
    Objects.requireNonNull(name, "name");
    if (problem == null) {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(signer, "signer");
    }
  }

  /** Reads a stored trigger; never throws for bad stored data, see {@link #problem()}. */
  public static TriggerEndpoint of(StoredTrigger trigger) {
    WebhookTarget target;
    try {
      target = TriggerDefinitionParser.parse(trigger.definitionJson()).webhook();
    } catch (RuntimeException unreadable) {
      return new TriggerEndpoint(trigger.name(), null, null, "trigger definition cannot be read: "
          + unreadable.getMessage());
    }
    WebhookSigner signer;
    try {
      signer = WebhookSigner.create(WebhookSecret.parse(trigger.secret()));
    } catch (IllegalArgumentException badSecret) {
      // the message names the defect, never the secret
      return new TriggerEndpoint(trigger.name(), null, null, badSecret.getMessage());
    }
    return new TriggerEndpoint(trigger.name(), target, signer, null);
  }

  public boolean usable() {
    return problem == null;
  }
}
