package io.tycostream.triggers.store;

import java.util.Objects;

/**
 * A change to record in the audit log ({@link AuditStore#record}); the store stamps the time. The JSON must hold no
 * secret: callers redact before (see {@code admin.AuditRecorder}). Immutable.
 *
 * @param actor      who made the change: an API key's name, {@code config}, {@code anonymous}
 * @param action     what was done, e.g. {@code trigger.create}
 * @param target     the name of what was changed, or {@code null}
 * @param beforeJson the target before the change as JSON, or {@code null}
 * @param afterJson  the target after the change as JSON, or {@code null}
 * @param requestId  the admin request that made it, {@code null} for changes not made through the API
 */
public record NewAuditEntry(String actor, String action, String target, String beforeJson, String afterJson,
                            String requestId) {

  public NewAuditEntry {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
  }
}
