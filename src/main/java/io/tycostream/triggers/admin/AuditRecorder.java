package io.tycostream.triggers.admin;

import io.tycostream.triggers.store.AuditStore;
import io.tycostream.triggers.store.NewAuditEntry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * Records the changes made through the admin API or the configuration in the audit log ({@code GET /api/v1/audit}):
 * who ({@link ChangeAuthor}), what ({@code action}, one of the constants here or a new {@code noun.verb}), on which
 * target, the target before and after as JSON, and the request id.
 * <p>
 * Call {@link #record} right after the change succeeded and answer the request once the returned future completes:
 * the entry is then durable before the client hears of the change. A crash between the change and the entry loses
 * the entry (it is not written in the change's transaction). Secrets never reach the log: {@code before} and
 * {@code after} are redacted ({@link SecretRedaction}) whatever the caller passes.
 * <p>
 * The returned future never fails: an entry that cannot be written is logged (WARN, with the action and target) and
 * the change stands. Thread-safe; call from any Vert.x context.
 */
public final class AuditRecorder {

  public static final String TRIGGER_CREATE = "trigger.create";
  public static final String TRIGGER_DELETE = "trigger.delete";
  public static final String TRIGGER_SECRET_ROTATE = "trigger.secret.rotate";
  public static final String API_KEY_CREATE = "api_key.create";
  public static final String API_KEY_DELETE = "api_key.delete";
  public static final String TRIGGER_UPDATE = "trigger.update";
  public static final String TRIGGER_MODE = "trigger.mode";
  public static final String EVENT_REPLAY = "event.replay";

  private static final Logger LOG = LoggerFactory.getLogger(AuditRecorder.class);

  private final AuditStore audit;

  public AuditRecorder(AuditStore audit) {
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  /**
   * Records one change.
   *
   * @param author who made it, in which request
   * @param action what was done, e.g. {@link #TRIGGER_CREATE}
   * @param target the name of what changed (a trigger, an API key), or {@code null}
   * @param before the target before the change, {@code null} when it did not exist or is not shown
   * @param after  the target after the change, {@code null} when it no longer exists
   * @return completes once the entry is durable or its failure was logged; never fails
   */
  public Future<Void> record(ChangeAuthor author, String action, String target, JsonObject before,
                             JsonObject after) {
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(action, "action");
    NewAuditEntry entry = new NewAuditEntry(author.actor(), action, target, encode(before), encode(after),
        author.requestId());
    return audit.record(entry).<Void>mapEmpty().recover(failure -> {
      LOG.warn("audit entry not recorded [action: {}, target: {}, by: {}, request: {}, cause: {}]", action, target,
          author.actor(), author.requestId(), failure.getMessage());
      return Future.succeededFuture();
    });
  }

  private static String encode(JsonObject json) {
    return json == null ? null : SecretRedaction.redact(json).encode();
  }
}
