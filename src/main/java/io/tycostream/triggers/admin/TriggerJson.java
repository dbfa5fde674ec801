package io.tycostream.triggers.admin;

import io.tycostream.triggers.definition.TriggerDefinition;
import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.delivery.BreakerState;
import io.tycostream.triggers.json.ComputedErrorsMember;
import io.tycostream.triggers.delivery.RateLimitState;
import io.tycostream.triggers.json.ExactJson;
import io.tycostream.triggers.store.StoredEvent;
import io.tycostream.triggers.store.StoredTrigger;
import io.tycostream.triggers.store.TriggerActivity;
import io.tycostream.triggers.store.TriggerPage;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** How triggers and their events look in API responses. Stateless. */
final class TriggerJson {

  private TriggerJson() {
  }

  /**
   * The definition with {@code status}, {@code created_at}, {@code updated_at}, {@code created_by},
   * {@code updated_by} (API key names, {@code config}, or {@code null} when not recorded) and, once baselined,
   * {@code baseline_frontier}; no secret.
   */
  static JsonObject trigger(StoredTrigger stored) {
    JsonObject json;
    TriggerDefinition definition;
    try {
      definition = TriggerDefinitionParser.parse(stored.definitionJson());
      json = definition.toJsonObject();
    } catch (RuntimeException e) {
      // it was valid when stored: an unreadable definition is corruption, not a bad request
      throw new IllegalStateException("stored definition of trigger '" + stored.name() + "' is unreadable", e);
    }
    String status = !stored.enabled() ? TriggerListFilter.DISABLED
        : definition.isExpiredAt(Instant.now()) ? TriggerExpiryStatus.EXPIRED : stored.status().dbValue();
    json.put("status", status)
        .put("created_at", stored.createdAt().toString())
        .put("updated_at", stored.updatedAt().toString())
        .put("created_by", stored.createdBy())
        .put("updated_by", stored.updatedBy())
        .put("enabled", stored.enabled())
        .put("version", stored.version());
    if (stored.baselineFrontier() != null) {
      json.put("baseline_frontier", stored.baselineFrontier().toString());
    }
    return json;
  }

  /** The trigger's version as an HTTP entity tag ({@code "3"}), for {@code If-Match}. */
  static String etag(StoredTrigger stored) {
    return "\"" + stored.version() + "\"";
  }

  /** A page of the list: {@code {"triggers": [...], "next_cursor": "..." | null}}. */
  static JsonObject page(TriggerPage page) {
    return new JsonObject()
        .put("triggers", new JsonArray(page.triggers().stream().map(TriggerJson::trigger).toList()))
        .put("next_cursor", PageCursor.after(page.lastName()));
  }

  /**
   * Adds the circuit breaker of the trigger's endpoint on this node ({@code breaker}: {@code null} while closed and
   * healthy) to a trigger's JSON; an enabled, active trigger whose breaker is open or half-open is {@code failing}.
   */
  static JsonObject withBreaker(JsonObject trigger, List<BreakerState> breakers) {
    BreakerState breaker = TriggerFailingStatus.breakerOf(trigger.getString("name"), breakers);
    trigger.put("breaker", breaker == null ? null : breaker.toJson());
    if (TriggerFailingStatus.isTripped(breaker) && "active".equals(trigger.getString("status"))) {
      trigger.put("status", TriggerFailingStatus.FAILING);
    }
    return trigger;
  }

  /**
   * Adds the rate limiter of a rate-limited trigger on this node to its JSON: {@code rate_limiter: {"waiting": n,
   * "tokens": t}}, the claimed events waiting for a token here and the tokens in its bucket ({@code waiting: 0} and
   * {@code tokens: null} when this node holds no limiter for it, e.g. before its first event). The backlog still in
   * the outbox is counted by {@code pending}.
   */
  static JsonObject withRateLimiter(JsonObject trigger, RateLimitState state) {
    return trigger.put("rate_limiter", new JsonObject()
        .put("waiting", state == null ? 0 : state.waiting())
        .put("tokens", state == null ? null : state.tokens()));
  }

  /** A page of the list with each trigger's activity ({@link HistoryJson#withActivity}). */
  static JsonObject page(TriggerPage page, Map<String, TriggerActivity> activity, List<BreakerState> breakers) {
    return new JsonObject()
        .put("triggers", new JsonArray(page.triggers().stream().map(stored -> withBreaker(HistoryJson.withActivity(
            trigger(stored), activity.getOrDefault(stored.name(), TriggerActivity.none(stored.name()))), breakers))
            .toList()))
        .put("next_cursor", PageCursor.after(page.lastName()));
  }


  /** {@link #trigger(StoredTrigger)} plus the signing secret: the only response that ever shows it. */
  static JsonObject created(StoredTrigger stored) {
    return trigger(stored).put("secret", stored.secret());
  }

  /**
   * The answer to a secret rotation: the new secret (shown this once) and when the replaced one stops signing
   * ({@code null} when it stopped at once).
   */
  static JsonObject rotated(StoredTrigger stored) {
    return new JsonObject()
        .put("name", stored.name())
        .put("secret", stored.secret())
        .put("previous_secret_expires_at", stored.previousSecretExpiresAt() == null ? null
            : stored.previousSecretExpiresAt().toString());
  }

  static JsonObject event(StoredEvent event) {
    ComputedErrorsMember.Split data = ComputedErrorsMember.split(event.dataJson());
    JsonObject json = new JsonObject()
        .put("event_id", event.eventId())
        .put("event_type", event.eventType())
        .put("status", event.status().dbValue())
        .put("attempts", event.attempts())
        .put("source_timestamp", event.sourceTimestamp().toString())
        .put("key", ExactJson.parse(event.keyJson()))
        .put("data", ExactJson.parse(data.data()))
        .put("created_at", event.createdAt().toString())
        .put("next_attempt_at", Instant.ofEpochMilli(event.nextAttemptAtMs()).toString());
    if (event.deliveredAt() != null) {
      json.put("delivered_at", event.deliveredAt().toString());
    }
    if (event.lastError() != null) {
      json.put("last_error", event.lastError());
    }
    if (data.errors() != null) {
      json.put("errors", ExactJson.parse(data.errors()));
    }
    if (event.suppressedReason() != null) {
      // debug, cooldown or deliver_if (#11): why a suppressed event was not sent
      json.put("suppressed_reason", event.suppressedReason().dbValue());
    }
    return json;
  }
}
