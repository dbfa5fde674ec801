package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.RetrySpec;
import io.tycostream.triggers.definition.DeliveryOrdering;
import io.tycostream.triggers.definition.RateLimit;
import io.tycostream.triggers.definition.BatchSpec;
import io.tycostream.triggers.definition.TriggerDefinition;
import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.definition.WebhookTarget;
import io.tycostream.triggers.store.StoredTrigger;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What delivery needs of a trigger: where to POST and how to sign, read once from its stored definition and secrets.
 * A trigger whose URL or secret cannot be used is still represented, with {@link #problem()} saying why, so its
 * events fail their attempts with that reason (and follow the retry policy) instead of being silently stuck.
 * <p>
 * It also carries the trigger's own {@code retry} and {@code timeout} (#11), so each attempt follows its trigger's
 * policy without another read. During a secret rotation's overlap the endpoint also holds a signer of both secrets; which one signs is decided per
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
 * @param retry         the trigger's own retry policy ({@link RetrySpec#NONE}: the service's)
 * @param timeout       the trigger's own request timeout, {@code null} for the service's
 * @param rateLimit     the trigger's {@code rate_limit}, {@code null} for none
 * @param ordering      the trigger's {@code ordering}
 * @param batch         how its events leave together ({@link BatchSpec}), {@code null} for one POST per event
 */
public record TriggerEndpoint(String name, WebhookTarget target, WebhookSigner signer, WebhookSigner overlapSigner,
                              Instant overlapEndsAt, String problem, RetrySpec retry, Duration timeout,
                              RateLimit rateLimit, DeliveryOrdering ordering, BatchSpec batch) {

  /**
   * An endpoint under the service's retry policy and timeout, without a rate limit, in concurrent order,
   * one POST per event.
   */
  public TriggerEndpoint(String name, WebhookTarget target, WebhookSigner signer, WebhookSigner overlapSigner,
                         Instant overlapEndsAt, String problem) {
    this(name, target, signer, overlapSigner, overlapEndsAt, problem, RetrySpec.NONE, null, null,
        DeliveryOrdering.CONCURRENT, null);
  }

  public TriggerEndpoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ordering, "ordering");
    if (problem == null) {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(signer, "signer");
    }
    if ((overlapSigner == null) != (overlapEndsAt == null)) {
      throw new IllegalArgumentException("overlapSigner and overlapEndsAt go together");
    }
    Objects.requireNonNull(retry, "retry");
  }

  /** An endpoint without a rotation overlap. */
  public TriggerEndpoint(String name, WebhookTarget target, WebhookSigner signer, String problem) {
    this(name, target, signer, null, null, problem);
  }

  /** Reads a stored trigger; never throws for bad stored data, see {@link #problem()}. */
  public static TriggerEndpoint of(StoredTrigger trigger) {
    TriggerDefinition definition;
    try {
      definition = TriggerDefinitionParser.parse(trigger.definitionJson());
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
    WebhookTarget target = definition.webhook();
    WebhookSigner signer = WebhookSigner.create(current);
    WebhookSigner both = null;
    if (trigger.previousSecret() != null) {
      try {
        both = WebhookSigner.create(current, WebhookSecret.parse(trigger.previousSecret()));
      } catch (IllegalArgumentException badPrevious) {
        // the new secret is fine: sign with it alone rather than not at all
        both = null;
      }
    }
    return new TriggerEndpoint(trigger.name(), target, signer, both, both == null ? null
        : trigger.previousSecretExpiresAt(), null, definition.retry(), definition.timeout(), definition.rateLimit(),
        definition.ordering(), definition.batch());
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

  /** Whether a key's later events wait for its earlier ones to be delivered or dead-lettered. */
  public boolean orderedPerKey() {
    return ordering == DeliveryOrdering.PER_KEY;
  }
}
