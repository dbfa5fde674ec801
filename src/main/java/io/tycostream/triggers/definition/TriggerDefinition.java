package io.tycostream.triggers.definition;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a user asked a trigger to do (design.md §1): watch {@code source}, FIRE when {@code fire} starts holding for
 * a key, CLEAR when {@code clear} holds for a matched key (or {@code fire} stops holding when there is no
 * {@code clear}), and POST each event to {@code webhookUrl}.
 * <p>
 * The signing secret is not part of the definition: it lives beside it in the store and is shown once, on creation.
 * Conditions keep their JSON numbers exact ({@code BigDecimal} for decimals, {@code Long}/{@code BigInteger} for
 * integers). Immutable: the condition objects are copied in and out, so the record is safe to share between
 * threads. Build one with {@link TriggerDefinitionParser}; {@link #toJson()} is the stored form, read back with
 * {@link TriggerDefinitionParser#parse(String)}.
 *
 * @param name            unique trigger name, {@code [a-z0-9_]{1,64}}
 * @param source          the configured source it watches
 * @param webhook         where events are POSTed: an absolute http(s) URL ({@link WebhookTarget#parse})
 * @param fire            the non-empty {@code where} condition that makes a key match
 * @param clear           the condition that ends a match, or {@code null} for "fire no longer holds"
 * @param includeSnapshot whether rows already matching when the trigger starts get a FIRE (default {@code false})
 * @param mode            {@link TriggerMode#LIVE} sends its events, {@link TriggerMode#DEBUG} only records them as
 *                        suppressed (default live)
 * @param description     free text for people, or {@code null}
 * @param metadata        free-form labels (key to value), for people and for filtering the list; never evaluated
 * @param fields          the columns an event's {@code data} carries (the key columns always), or empty for all
 * @param params          values of the {@code {"_param": "<name>"}} placeholders of {@code fire} and {@code clear}
 *                        ({@link ParamsParser}), or empty
 * @param computed        computed fields: name to CEL expression over {@code row} ({@link ComputedFieldsParser}), in
 *                        the order given, added to {@code data} after the selection; or empty
 * @param retry           the trigger's own retry policy, {@link RetrySpec#NONE} for the service's
 * @param timeout         how long a receiver may take to answer one request, {@code null} for the service's
 *                        ({@code delivery.request_timeout_ms})
 * @param expiresAt       when the trigger stops evaluating (status {@code expired}), {@code null} for never
 * @param rateLimit       the most webhooks per second delivery sends for it ({@link RateLimit}), or {@code null} for
 *                        no limit (default)
 * @param ordering        how strictly each key's events keep their order ({@link DeliveryOrdering}; default
 *                        concurrent)
 * @param batch           how events leave together in one POST ({@link BatchSpec}), or {@code null} for one POST per
 *                        event (the default)
 * @param cooldown        after a delivered FIRE of a key, how long (in source time) later FIRE/CLEAR pairs of that
 *                        key are suppressed; {@code null} for none
 * @param deliverIf       the other source's row that must hold for a FIRE to be delivered; {@code null} for none
 * @param alertTarget     where the alerts about this trigger ({@code EVENT_DEAD_LETTERED}, {@code TRIGGER_FAILING})
 *                        also go, signed with its webhook secret ({@code alert_url}); {@code null} for none
 */
public record TriggerDefinition(String name, String source, WebhookTarget webhook, JsonObject fire, JsonObject clear,
                                boolean includeSnapshot, TriggerMode mode, String description,
                                Map<String, String> metadata, List<String> fields, JsonObject params,
                                Map<String, String> computed, RetrySpec retry, Duration timeout, Instant expiresAt,
                                RateLimit rateLimit, DeliveryOrdering ordering, BatchSpec batch,
                                Duration cooldown, DeliverIf deliverIf, WebhookTarget alertTarget) {

  /** Without an {@code alert_url}. */
  public TriggerDefinition(String name, String source, WebhookTarget webhook, JsonObject fire, JsonObject clear,
                           boolean includeSnapshot, TriggerMode mode, String description,
                           Map<String, String> metadata, List<String> fields, JsonObject params,
                           Map<String, String> computed, RetrySpec retry, Duration timeout, Instant expiresAt,
                           RateLimit rateLimit, DeliveryOrdering ordering, BatchSpec batch,
                           Duration cooldown, DeliverIf deliverIf) {
    this(name, source, webhook, fire, clear, includeSnapshot, mode, description, metadata, fields, params, computed,
        retry, timeout, expiresAt, rateLimit, ordering, batch, cooldown, deliverIf, null);
  }

  /**
   * Without params and computed fields, with the service's retry policy and timeout, never expiring, without a rate
   * limit, in concurrent order, one POST per event, without delivery gates (no cooldown, no deliver_if).
   */
  public TriggerDefinition(String name, String source, WebhookTarget webhook, JsonObject fire, JsonObject clear,
                           boolean includeSnapshot, TriggerMode mode, String description, Map<String, String> metadata,
                           List<String> fields) {
    this(name, source, webhook, fire, clear, includeSnapshot, mode, description, metadata, fields, new JsonObject(),
        Map.of(), RetrySpec.NONE, null, null, null, DeliveryOrdering.CONCURRENT, null, null, null);
  }

  /** Every column in {@code data}. */
  public TriggerDefinition(String name, String source, WebhookTarget webhook, JsonObject fire, JsonObject clear,
                           boolean includeSnapshot, TriggerMode mode, String description, Map<String, String> metadata) {
    this(name, source, webhook, fire, clear, includeSnapshot, mode, description, metadata, List.of());
  }

  /** A live trigger. */
  public TriggerDefinition(String name, String source, WebhookTarget webhook, JsonObject fire, JsonObject clear,
                           boolean includeSnapshot) {
    this(name, source, webhook, fire, clear, includeSnapshot, TriggerMode.LIVE);
  }

  /** Without description and labels. */
  public TriggerDefinition(String name, String source, WebhookTarget webhook, JsonObject fire, JsonObject clear,
                           boolean includeSnapshot, TriggerMode mode) {
    this(name, source, webhook, fire, clear, includeSnapshot, mode, null, Map.of());
  }

  public TriggerDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(webhook, "webhook");
    fire = Objects.requireNonNull(fire, "fire").copy();
    clear = clear == null ? null : clear.copy();
    // sorted, so the stored form does not depend on the order labels were given in
    metadata = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(metadata, "metadata")));
    fields = List.copyOf(fields);
    params = Objects.requireNonNull(params, "params").copy();
    // insertion order kept: computed values appear in data in the order they were written
    computed = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(Objects.requireNonNull(computed,
        "computed")));
    retry = Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(ordering, "ordering");
  }

  /** The same definition with these delivery fields (issue #11 items 1 and 7). */
  public TriggerDefinition withDelivery(RetrySpec retry, Duration timeout, Instant expiresAt) {
    return new TriggerDefinition(name, source, webhook, fire, clear, includeSnapshot, mode, description, metadata,
        fields, params, computed, retry, timeout, expiresAt, rateLimit, ordering, batch, cooldown, deliverIf,
        alertTarget);
  }

  /** Whether the trigger has expired at {@code now}: it no longer evaluates. */
  public boolean isExpiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /** The webhook URL as written. */
  public URI webhookUrl() {
    return webhook.uri();
  }

  /** The same definition in {@code mode}. */
  public TriggerDefinition withMode(TriggerMode mode) {
    return new TriggerDefinition(name, source, webhook, fire, clear, includeSnapshot, mode, description, metadata,
        fields, params, computed, retry, timeout, expiresAt, rateLimit, ordering, batch, cooldown, deliverIf,
        alertTarget);
  }

  /** The same definition with {@code params} in place of its parameter values. */
  public TriggerDefinition withParams(JsonObject params) {
    return new TriggerDefinition(name, source, webhook, fire, clear, includeSnapshot, mode, description, metadata,
        fields, params, computed, retry, timeout, expiresAt, rateLimit, ordering, batch, cooldown, deliverIf,
        alertTarget);
  }

  /** The same definition with {@code computed} in place of its computed fields. */
  public TriggerDefinition withComputed(Map<String, String> computed) {
    return new TriggerDefinition(name, source, webhook, fire, clear, includeSnapshot, mode, description, metadata,
        fields, params, computed, retry, timeout, expiresAt, rateLimit, ordering, batch, cooldown, deliverIf,
        alertTarget);
  }

  /** A copy of the parameter values (empty when the conditions have no placeholders). */
  @Override
  public JsonObject params() {
    return params.copy();
  }

  /** The same definition with another rate limit ({@code null}: none). */
  public TriggerDefinition withRateLimit(RateLimit rateLimit) {
    return new TriggerDefinition(name, source, webhook, fire, clear, includeSnapshot, mode, description, metadata,
        fields, params, computed, retry, timeout, expiresAt, rateLimit, ordering, batch, cooldown, deliverIf,
        alertTarget);
  }

  /** The same definition with another ordering. */
  public TriggerDefinition withOrdering(DeliveryOrdering ordering) {
    return new TriggerDefinition(name, source, webhook, fire, clear, includeSnapshot, mode, description, metadata,
        fields, params, computed, retry, timeout, expiresAt, rateLimit, ordering, batch, cooldown, deliverIf,
        alertTarget);
  }

  /** The same definition with {@code batch} ({@code null}: one POST per event). */
  public TriggerDefinition withBatch(BatchSpec batch) {
    return new TriggerDefinition(name, source, webhook, fire, clear, includeSnapshot, mode, description, metadata,
        fields, params, computed, retry, timeout, expiresAt, rateLimit, ordering, batch, cooldown, deliverIf,
        alertTarget);
  }

  /** The same definition with these delivery gates ({@code null}s for none). */
  public TriggerDefinition withGates(Duration cooldown, DeliverIf deliverIf) {
    return new TriggerDefinition(name, source, webhook, fire, clear, includeSnapshot, mode, description, metadata,
        fields, params, computed, retry, timeout, expiresAt, rateLimit, ordering, batch, cooldown, deliverIf,
        alertTarget);
  }

  /** The same definition with another {@code alert_url} ({@code null}: none). */
  public TriggerDefinition withAlertTarget(WebhookTarget alertTarget) {
    return new TriggerDefinition(name, source, webhook, fire, clear, includeSnapshot, mode, description, metadata,
        fields, params, computed, retry, timeout, expiresAt, rateLimit, ordering, batch, cooldown, deliverIf,
        alertTarget);
  }

  /** Whether delivery of its events depends on a cooldown or on another source. */
  public boolean hasGates() {
    return cooldown != null || deliverIf != null;
  }

  /** A copy of the fire condition. */
  @Override
  public JsonObject fire() {
    return fire.copy();
  }

  /** A copy of the clear condition, or {@code null} when the trigger has none. */
  @Override
  public JsonObject clear() {
    return clear == null ? null : clear.copy();
  }

  /**
   * The definition as a JSON object in the API's shape ({@code name, source, webhook.url, fire, clear,
   * include_snapshot, mode, description, metadata, params, computed}; {@code clear}, {@code description},
   * {@code metadata}, {@code params} and {@code computed} only when present), without the secret. A new object on every call.
   */
  public JsonObject toJsonObject() {
    JsonObject json = new JsonObject()
        .put(TriggerDefinitionParser.NAME, name)
        .put(TriggerDefinitionParser.SOURCE, source)
        .put(TriggerDefinitionParser.WEBHOOK, webhookJson())
        .put(TriggerDefinitionParser.FIRE, fire.copy());
    if (clear != null) {
      json.put(TriggerDefinitionParser.CLEAR, clear.copy());
    }
    json.put(TriggerDefinitionParser.INCLUDE_SNAPSHOT, includeSnapshot)
        .put(TriggerDefinitionParser.MODE, mode.value());
    if (description != null) {
      json.put(TriggerDefinitionParser.DESCRIPTION, description);
    }
    if (!fields.isEmpty()) {
      json.put(TriggerDefinitionParser.FIELDS, new io.vertx.core.json.JsonArray(fields));
    }
    if (!metadata.isEmpty()) {
      json.put(TriggerDefinitionParser.METADATA, new JsonObject(new java.util.LinkedHashMap<>(metadata)));
    }
    if (!params.isEmpty()) {
      json.put(TriggerDefinitionParser.PARAMS, params.copy());
    }
    if (!computed.isEmpty()) {
      json.put(TriggerDefinitionParser.COMPUTED, new JsonObject(new java.util.LinkedHashMap<>(computed)));
    }
    if (!retry.isNone()) {
      json.put(RetrySpecParser.RETRY, retry.toJson());
    }
    if (timeout != null) {
      json.put(RetrySpecParser.TIMEOUT, DurationText.format(timeout));
    }
    if (expiresAt != null) {
      json.put(ExpiryParser.EXPIRES_AT, ExpiryParser.format(expiresAt));
    }
    // only when set, so the stored form of triggers without them is unchanged
    if (rateLimit != null) {
      json.put(TriggerDefinitionParser.RATE_LIMIT, rateLimit.toJson());
    }
    if (ordering != DeliveryOrdering.CONCURRENT) {
      json.put(TriggerDefinitionParser.ORDERING, ordering.value());
    }
    if (batch != null) {
      json.put(TriggerDefinitionParser.BATCH, BatchSpecParser.toJson(batch));
    }
    if (cooldown != null) {
      json.put(GateSpecParser.COOLDOWN, DurationText.format(cooldown));
    }
    if (deliverIf != null) {
      json.put(GateSpecParser.DELIVER_IF, deliverIf.toJsonObject());
    }
    if (alertTarget != null) {
      json.put(TriggerDefinitionParser.ALERT_URL, alertTarget.uri().toString());
    }
    return json;
  }

  /** {@code {"url": …}}, with {@code client_certificate} only when set (the stored form of others is unchanged). */
  private JsonObject webhookJson() {
    JsonObject json = new JsonObject().put(TriggerDefinitionParser.URL, webhook.uri().toString());
    if (webhook.clientCertificate() != null) {
      json.put(TriggerDefinitionParser.CLIENT_CERTIFICATE, webhook.clientCertificate());
    }
    return json;
  }

  /** The stored form ({@code StoredTrigger.definitionJson}): {@link #toJsonObject()} as compact JSON text. */
  public String toJson() {
    return toJsonObject().encode();
  }
}
