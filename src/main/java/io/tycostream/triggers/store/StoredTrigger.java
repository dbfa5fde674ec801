package io.tycostream.triggers.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A trigger as stored.
 *
 * @param name             unique trigger name
 * @param source           the source it watches
 * @param definitionJson   the definition as JSON text, exactly as created
 * @param secret           the webhook signing secret
 * @param status           whether its matched-key state is established
 * @param baselineFrontier the source frontier its state was baselined at, {@code null} while
 *                         {@link TriggerStatus#AWAITING_BASELINE}
 * @param createdAt        creation time
 * @param updatedAt        last change of the row (creation or baseline)
 */
public record StoredTrigger(String name, String source, String definitionJson, String secret, TriggerStatus status,
                            BigInteger baselineFrontier, Instant createdAt, Instant updatedAt) {

  public StoredTrigger {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(definitionJson, "definitionJson");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  public Optional<BigInteger> baseline() {
    return Optional.ofNullable(baselineFrontier);
  }
}
