package io.tycostream.triggers.trigger;

import io.tycostream.triggers.definition.ExpiryParser;
import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.store.ExpiryStore;
import io.tycostream.triggers.store.NewAuditEntry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * Notices the source unit's triggers whose {@code expires_at} passed and writes each expiry once to the audit log
 * ({@value #ACTION}, actor {@value #ACTOR}). The evaluator calls {@link #check()} periodically; the registry has
 * already stopped evaluating an expired trigger (see {@link TriggerRegistry#live()}), this only records it.
 * <p>
 * Once per expiry, across nodes: the store writes the entry only for the caller whose conditional update marks that
 * {@code expires_at} as recorded ({@link ExpiryStore#recordExpired}), so a restart, a second node owning the source
 * for a moment, a retry, or a PATCH of another field never writes it twice; a revival (a later {@code expires_at})
 * that expires in turn is written again. A failed write is tried again at the next check.
 * Confined to the evaluator's context.
 */
final class TriggerExpiry {

  /** The audit action of an expiry. */
  static final String ACTION = "trigger.expire";
  /** The audit actor of changes the service makes by itself. */
  static final String ACTOR = "system";

  private static final Logger LOG = LoggerFactory.getLogger(TriggerExpiry.class);

  private final String source;
  private final TriggerRegistry registry;
  private final ExpiryStore store;
  private final Clock clock;

  TriggerExpiry(String source, TriggerRegistry registry, ExpiryStore store, Clock clock) {
    this.source = source;
    this.registry = registry;
    this.store = store;
    this.clock = clock;
  }

  /** Moves the triggers that expired out of evaluation and records their expiries; completes once written. */
  Future<Void> check() {
    registry.expireDue(clock.instant());
    List<TriggerIdentity> due = registry.expiriesToRecord();
    due.forEach(registry::expiryRecorded);
    return Future.join(due.stream().map(this::record).toList()).mapEmpty();
  }

  private Future<Void> record(TriggerIdentity identity) {
    // the registry marks only definitions it read, with an expires_at, as expired
    String expiresAt = ExpiryParser.format(TriggerDefinitionParser.parse(identity.definitionJson()).expiresAt());
    JsonObject after = new JsonObject().put("name", identity.name()).put("status", "expired")
        .put("expires_at", expiresAt).put("version", identity.version());
    NewAuditEntry entry = new NewAuditEntry(ACTOR, ACTION, identity.name(), null, after.encode(), null);
    return store.recordExpired(identity.name(), identity.version(), expiresAt, entry)
        .onSuccess(written -> {
          if (written) {
            LOG.info("trigger expiry recorded in the audit log [source: {}, trigger: {}, version: {}]", source,
                identity.name(), identity.version());
          }
        })
        .onFailure(failure -> {
          LOG.warn("trigger expiry not recorded, retrying at the next check [source: {}, trigger: {}, cause: {}]",
              source, identity.name(), failure.getMessage());
          registry.expiryNotRecorded(identity);
        })
        .<Void>mapEmpty()
        .recover(failure -> Future.succeededFuture());
  }
}
