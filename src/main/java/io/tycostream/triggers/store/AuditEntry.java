package io.tycostream.triggers.store;

import java.time.Instant;

/**
 * A recorded change ({@link NewAuditEntry}) with its id (larger for later entries) and time. Immutable.
 */
public record AuditEntry(long id, Instant at, String actor, String action, String target, String beforeJson,
                         String afterJson, String requestId) {
}
