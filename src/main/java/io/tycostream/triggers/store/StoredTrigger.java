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
 * @param secret           the webhook signing secret, decrypted (the database holds it sealed)
 * @param previousSecret   the secret the last rotation replaced, decrypted, while its overlap lasts (see
 *                         {@link #previousSecretValidAt}); {@code null} when there is none
 * @param previousSecretExpiresAt when {@code previousSecret} stops signing; {@code null} exactly when it is
 * @param status           whether its matched-key state is established
 * @param baselineFrontier the source frontier its state was baselined at, {@code null} while
 *                         {@link TriggerStatus#AWAITING_BASELINE}
 * @param createdAt        creation time
 * @param updatedAt        last change of the row (creation, baseline or secret rotation)
 * @param createdBy        who created it (an API key's name, {@code config}), {@code null} when not recorded
 * @param updatedBy        who changed it last through the API or configuration (a baseline is not a change by
 *                         anyone), {@code null} when not recorded
 * @param version          raised by every change through the API (its ETag); 1 when created
 * @param enabled          whether it is evaluated and delivered; a disabled trigger keeps its state
 * @param reconcilePending whether its matched state must be reconciled against a fresh snapshot of its source (its
 *                         conditions changed, or it was enabled again) before it evaluates again
 */
public record StoredTrigger(String name, String source, String definitionJson, String secret, String previousSecret,
                            Instant previousSecretExpiresAt, TriggerStatus status, BigInteger baselineFrontier,
                            Instant createdAt, Instant updatedAt, String createdBy, String updatedBy, long version,
                            boolean enabled, boolean reconcilePending) {

  public StoredTrigger {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(definitionJson, "definitionJson");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if ((previousSecret == null) != (previousSecretExpiresAt == null)) {
      throw new IllegalArgumentException("previousSecret and previousSecretExpiresAt go together");
    }
  }

  /** A trigger without a rotation in progress, its authors not recorded. */
  public StoredTrigger(String name, String source, String definitionJson, String secret, TriggerStatus status,
                       BigInteger baselineFrontier, Instant createdAt, Instant updatedAt) {
    this(name, source, definitionJson, secret, null, null, status, baselineFrontier, createdAt, updatedAt, null,
        null, 1, true, false);
  }

  /** The replaced secret if it still signs at {@code now} (before its expiry). */
  public Optional<String> previousSecretValidAt(Instant now) {
    return previousSecret != null && now.isBefore(previousSecretExpiresAt) ? Optional.of(previousSecret)
        : Optional.empty();
  }

  public Optional<BigInteger> baseline() {
    return Optional.ofNullable(baselineFrontier);
  }
}
