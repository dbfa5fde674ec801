package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.definition.WebhookTarget;
import java.time.Instant;
import java.util.Objects;

/**
 * A receiver of operational alerts: where they go and how they are signed. A configured endpoint ({@code alerts:})
 * signs with its own secret; a trigger's {@code alert_url} ({@link #ofTrigger}) signs as the trigger's webhooks do
 * ({@link TriggerEndpoint#signerAt}: both secrets while a rotation overlap lasts). Immutable.
 *
 * @param name       the key of its rows in the alert outbox: the configured name, or {@code trigger:<name>}
 * @param target     the parsed URL, checked against the target rules when accepted and again at every connect
 * @param signer     the signer of a configured endpoint's secret, {@code null} exactly when {@code signedLike} is set
 * @param signedLike the trigger whose secrets sign a trigger's {@code alert_url}, {@code null} for a configured one
 */
public record AlertEndpoint(String name, WebhookTarget target, WebhookSigner signer, TriggerEndpoint signedLike) {

  public AlertEndpoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(target, "target");
    if ((signer == null) == (signedLike == null)) {
      throw new IllegalArgumentException("exactly one of signer and signedLike");
    }
  }

  /** A configured endpoint, signing with {@code secret}. */
  public AlertEndpoint(String name, WebhookTarget target, WebhookSecret secret) {
    this(name, target, WebhookSigner.create(Objects.requireNonNull(secret, "secret")), null);
  }

  /** A trigger's {@code alert_url}, signed like {@code trigger}'s webhooks (a usable endpoint). */
  static AlertEndpoint ofTrigger(String name, WebhookTarget alertTarget, TriggerEndpoint trigger) {
    return new AlertEndpoint(name, alertTarget, null, trigger);
  }

  /** The signer for an attempt sent at {@code sendTime}. */
  WebhookSigner signerAt(Instant sendTime) {
    return signedLike == null ? signer : signedLike.signerAt(sendTime);
  }

  @Override
  public String toString() {
    return "AlertEndpoint[name=" + name + ", target=" + target.uri() + "]";
  }
}
