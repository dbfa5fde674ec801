package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.BatchSpec;
import io.tycostream.triggers.definition.TriggerDefinition;
import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.definition.WebhookTarget;
import io.tycostream.triggers.store.StoredTrigger;
import java.time.Instant;
import java.util.Objects;

/**
 * What delivery needs of a trigger: where to POST and how to sign, read once from its stored definition and secrets.
 * A trigger whose URL or secret cannot be used is still represented, with {@link #problem()} saying why, so its
 * events fail their attempts with that reason (and follow the retry policy) instead of being silently stuck.
 * <p>
 * During a secret rotation's overlap the endpoint also holds a signer of both secrets; which one signs is decided per
 * attempt by {@link #signerAt} with the attempt's send time, so the overlap ends on time even while the endpoint
 * stays cached. Immutable and thread-safe.
 *
 * @param name          the trigger's name
 * @param target        the webhook URL, {@code null} when {@code problem} is set
 * @param signer        the signer of the trigger's current secret, {@code null} when {@code problem} is set
 * @param overlapSigner the signer of the current and the replaced secret (new signature first), {@code null} when
 *                      no rotation overlap is recorded
 * @param overlapEndsAt when the replaced secret stops signing, {@code null} exactly when {@code overlapSigner} is
 * @param problem       why the trigger cannot be delivered to, {@code null} when it can
 * @param batch         how its events leave together ({@link BatchSpec}), {@code null} for one POST per event
 */
public record TriggerEndpoint(String name, WebhookTarget target, WebhookSigner signer, WebhookSigner overlapSigner,
                              Instant overlapEndsAt, String problem, BatchSpec batch) {

  public TriggerEndpoint {
    Objects.requireNonNull(name, "name");
    if (problem == null) {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(signer, "signer");
    }
    if ((overlapSigner == null) != (overlapEndsAt == null)) {
      throw new IllegalArgumentException("overlapSigner and overlapEndsAt go together");
    }
  }

  /** One POST per event. */
  public TriggerEndpoint(String name, WebhookTarget target, WebhookSigner signer, WebhookSigner overlapSigner,
                         Instant overlapEndsAt, String problem) {
    this(name, target, signer, overlapSigner, overlapEndsAt, problem, null);
  }

  /** An endpoint without a rotation overlap. */
  public TriggerEndpoint(String name, WebhookTarget target, WebhookSigner signer, String problem) {
    this(name, target, signer, null, null, problem);
  }

  /** Reads a stored trigger; never throws for bad stored data, see {@link #problem()}. */
  public static TriggerEndpoint of(StoredTrigger trigger) {
    WebhookTarget target;
    BatchSpec batch;
    try {
      TriggerDefinition definition = TriggerDefinitionParser.parse(trigger.definitionJson());
      target = definition.webhook();
      batch = definition.batch();
    } catch (RuntimeException unreadable) {
      return new TriggerEndpoint(trigger.name(), null, null, "trigger definition cannot be read: "
          + unreadable.getMessage());
    }
    WebhookSecret current;
    try {
      current = WebhookSecret.parse(trigger.secret());
    } catch (IllegalArgumentException badSecret) {
      // the message names the defect, never the secret
      return new TriggerEndpoint(trigger.name(), null, null, badSecret.getMessage());
    }
    WebhookSigner signer = WebhookSigner.create(current);
    if (trigger.previousSecret() == null) {
      return new TriggerEndpoint(trigger.name(), target, signer, null, null, null, batch);
    }
    try {
      WebhookSigner both = WebhookSigner.create(current, WebhookSecret.parse(trigger.previousSecret()));
      return new TriggerEndpoint(trigger.name(), target, signer, both, trigger.previousSecretExpiresAt(), null, batch);
    } catch (IllegalArgumentException badPrevious) {
      // the new secret is fine: sign with it alone rather than not at all
      return new TriggerEndpoint(trigger.name(), target, signer, null, null, null, batch);
    }
  }

  /**
   * The signer for an attempt sent at {@code sendTime}: both secrets before the overlap ends, the current one from
   * then on.
   */
  public WebhookSigner signerAt(Instant sendTime) {
    return overlapSigner != null && sendTime.isBefore(overlapEndsAt) ? overlapSigner : signer;
  }

  public boolean usable() {
    return problem == null;
  }
}
