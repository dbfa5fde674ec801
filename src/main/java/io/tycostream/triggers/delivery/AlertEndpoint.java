package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.definition.WebhookTarget;
import java.time.Instant;
import java.util.Objects;

/**
 * A receiver of operational alerts: where they go and how they are signed. A configured endpoint ({@code alerts:})
 * signs with its own secret; a trigger's {@code alert_url} ({@link #ofTrigger}) signs like the trigger's webhooks,
 * with both secrets while a rotation overlap lasts. Immutable.
 *
 * @param name          the key of its rows in the alert outbox: the configured name, or {@code trigger:<name>}
 * @param target        the parsed URL, checked against the target rules when accepted and again at every connect
 * @param signer        the signer of the current secret
 * @param overlapSigner the signer of the current and the replaced secret, {@code null} without a rotation overlap
 * @param overlapEndsAt when the replaced secret stops signing, {@code null} exactly when {@code overlapSigner} is
 */
public record AlertEndpoint(String name, WebhookTarget target, WebhookSigner signer, WebhookSigner overlapSigner,
                            Instant overlapEndsAt) {

  public AlertEndpoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(signer, "signer");
    if ((overlapSigner == null) != (overlapEndsAt == null)) {
      throw new IllegalArgumentException("overlapSigner and overlapEndsAt go together");
    }
  }

  /** A configured endpoint, signing with {@code secret}. */
  public AlertEndpoint(String name, WebhookTarget target, WebhookSecret secret) {
    this(name, target, WebhookSigner.create(Objects.requireNonNull(secret, "secret")), null, null);
  }

  /** A trigger's {@code alert_url}, signed like {@code trigger}'s webhooks (a usable endpoint). */
  static AlertEndpoint ofTrigger(String name, WebhookTarget alertTarget, TriggerEndpoint trigger) {
    return new AlertEndpoint(name, alertTarget, trigger.signer(), trigger.overlapSigner(), trigger.overlapEndsAt());
  }

  /** The signer for an attempt sent at {@code sendTime}: both secrets before an overlap ends, then the current one. */
  WebhookSigner signerAt(Instant sendTime) {
    return overlapSigner != null && sendTime.isBefore(overlapEndsAt) ? overlapSigner : signer;
  }

  @Override
  public String toString() {
    return "AlertEndpoint[name=" + name + ", target=" + target.uri() + "]";
  }
}
