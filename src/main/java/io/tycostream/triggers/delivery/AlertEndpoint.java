package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.definition.WebhookTarget;
import java.util.Objects;

/**
 * A configured receiver of operational alerts: where they go and the secret that signs them. Immutable.
 *
 * @param name   the configured name, the key of its rows in the alert outbox
 * @param target the parsed URL, checked against the target rules at start-up and again at every connect
 * @param secret the Standard Webhooks secret of its signatures
 */
public record AlertEndpoint(String name, WebhookTarget target, WebhookSecret secret) {

  public AlertEndpoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(secret, "secret");
  }

  @Override
  public String toString() {
    return "AlertEndpoint[name=" + name + ", target=" + target.uri() + "]";
  }
}
