package io.tycostream.triggers.admin;

import io.tycostream.triggers.json.ExactJson;
import io.tycostream.triggers.store.AuditEntry;
import io.tycostream.triggers.store.AuditPage;
import io.tycostream.triggers.store.EventPage;
import io.tycostream.triggers.store.MatchPage;
import io.tycostream.triggers.store.MatchedKey;
import io.tycostream.triggers.store.RecordedAttempt;
import io.tycostream.triggers.store.StoredEvent;
import io.tycostream.triggers.store.TriggerActivity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/** How event history, attempts, trigger activity, matched keys and the audit log look in API responses. Stateless. */
final class HistoryJson {

  /** 9999-12-31T23:59:59.999Z: larger frontiers are not shown as times. */
  private static final BigInteger MAX_EPOCH_MS = BigInteger.valueOf(253_402_300_799_999L);

  private HistoryJson() {
  }

  /** A page of events: {@code {"events": [...], "next_cursor": "..." | null}}. */
  static JsonObject events(EventPage page) {
    return new JsonObject()
        .put("events", new JsonArray(page.events().stream().map(TriggerJson::event).toList()))
        .put("next_cursor", HistoryCursors.ofEvent(page.next()));
  }

  /** One event with {@code trigger_name} and every attempt, in attempt order. */
  static JsonObject event(StoredEvent event, List<RecordedAttempt> attempts) {
    return TriggerJson.event(event)
        .put("trigger_name", event.triggerName())
        .put("delivery_attempts", new JsonArray(attempts.stream().map(HistoryJson::attempt).toList()));
  }

  static JsonObject attempt(RecordedAttempt attempt) {
    return new JsonObject()
        .put("attempt", attempt.attemptNumber())
        .put("started_at", attempt.startedAt().toString())
        .put("latency_ms", attempt.durationMs())
        .put("status_code", attempt.httpStatus())
        .put("error", attempt.error())
        .put("outcome", attempt.outcome().dbValue())
        .put("response_excerpt", attempt.responseExcerpt());
  }

  /** Adds a trigger's activity to its JSON (see {@link TriggerActivity} for what the totals cover). */
  static JsonObject withActivity(JsonObject trigger, TriggerActivity activity) {
    return trigger
        .put("matched_count", activity.matchedCount())
        .put("last_fired_at", time(activity.lastFiredAt()))
        .put("last_cleared_at", time(activity.lastClearedAt()))
        .put("fired_total", activity.firedTotal())
        .put("cleared_total", activity.clearedTotal())
        .put("pending", activity.pending())
        .put("delivered_total", activity.deliveredTotal())
        .put("dead", activity.dead());
  }

  /**
   * A page of matched keys with the frontier it reflects: {@code {"trigger", "committed_frontier", "matches": [...],
   * "next_cursor"}}.
   */
  static JsonObject matches(String trigger, MatchPage page) {
    return new JsonObject()
        .put("trigger", trigger)
        .put("committed_frontier", page.committedFrontier() == null ? null : page.committedFrontier().toString())
        .put("matches", new JsonArray(page.keys().stream().map(HistoryJson::match).toList()))
        .put("next_cursor", HistoryCursors.ofKey(page.lastKey()));
  }

  private static JsonObject match(MatchedKey key) {
    return new JsonObject()
        .put("key", ExactJson.parse(key.keyJson()))
        .put("row", ExactJson.parse(key.rowJson()))
        .put("row_frontier", key.frontier().toString())
        .put("matched_frontier", key.matchedFrontier() == null ? null : key.matchedFrontier().toString())
        .put("matched_at", frontierTime(key.matchedFrontier()));
  }

  /** A page of the audit log: {@code {"entries": [...], "next_cursor"}}. */
  static JsonObject audit(AuditPage page) {
    return new JsonObject()
        .put("entries", new JsonArray(page.entries().stream().map(HistoryJson::auditEntry).toList()))
        .put("next_cursor", HistoryCursors.ofAudit(page.lastId()));
  }

  private static JsonObject auditEntry(AuditEntry entry) {
    return new JsonObject()
        .put("id", entry.id())
        .put("at", entry.at().toString())
        .put("actor", entry.actor())
        .put("action", entry.action())
        .put("target", entry.target())
        .put("before", entry.beforeJson() == null ? null : ExactJson.parse(entry.beforeJson()))
        .put("after", entry.afterJson() == null ? null : ExactJson.parse(entry.afterJson()))
        .put("request_id", entry.requestId());
  }

  private static String time(Instant at) {
    return at == null ? null : at.toString();
  }

  /** A Materialize frontier (epoch milliseconds) as a time; {@code null} when there is none or it is not one. */
  private static String frontierTime(BigInteger frontier) {
    if (frontier == null || frontier.signum() < 0 || frontier.compareTo(MAX_EPOCH_MS) > 0) {
      return null;
    }
    return Instant.ofEpochMilli(frontier.longValueExact()).toString();
  }
}
