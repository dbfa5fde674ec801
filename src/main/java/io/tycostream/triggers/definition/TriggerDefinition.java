package io.tycostream.triggers.definition;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.Duration;
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
 * @param cooldown        after a delivered FIRE of a key, how long (in source time) later FIRE/CLEAR pairs of that
 *                        key are suppressed; {@code null} for none
 * @param deliverIf       the other source's row that must hold for a FIRE to be delivered; {@code null} for none
 */
public record TriggerDefinition(String name, String source, WebhookTarget webhook, JsonObject fire, JsonObject clear,
                                boolean includeSnapshot, TriggerMode mode, String description,
                                Map<String, String> metadata, List<String> fields, Duration cooldown,
                                DeliverIf deliverIf) {

  /** Without delivery gates (no cooldown, no deliver_if). */
  public TriggerDefinition(String name, String source, WebhookTarget webhook, JsonObject fire, JsonObject clear,
                           boolean includeSnapshot, TriggerMode mode, String description, Map<String, String> metadata,
                           List<String> fields) {
    this(name, source, webhook, fire, clear, includeSnapshot, mode, description, metadata, fields, null, null);
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
  }

  /** The webhook URL as written. */
  public URI webhookUrl() {
    return webhook.uri();
  }

  /** The same definition in {@code mode}. */
  public TriggerDefinition withMode(TriggerMode mode) {
    return new TriggerDefinition(name, source, webhook, fire, clear, includeSnapshot, mode, description, metadata,
        fields, cooldown, deliverIf);
  }

  /** The same definition with these delivery gates ({@code null}s for none). */
  public TriggerDefinition withGates(Duration cooldown, DeliverIf deliverIf) {
    return new TriggerDefinition(name, source, webhook, fire, clear, includeSnapshot, mode, description, metadata,
        fields, cooldown, deliverIf);
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
   * include_snapshot, mode, description, metadata}; {@code clear}, {@code description} and {@code metadata} only when
   * present), without the secret. A new object on every call.
   */
  public JsonObject toJsonObject() {
    JsonObject json = new JsonObject()
        .put(TriggerDefinitionParser.NAME, name)
        .put(TriggerDefinitionParser.SOURCE, source)
        .put(TriggerDefinitionParser.WEBHOOK, new JsonObject().put(TriggerDefinitionParser.URL, webhook.uri().toString()))
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
    if (cooldown != null) {
      json.put(GateSpecParser.COOLDOWN, DurationText.format(cooldown));
    }
    if (deliverIf != null) {
      json.put(GateSpecParser.DELIVER_IF, deliverIf.toJsonObject());
    }
    return json;
  }

  /** The stored form ({@code StoredTrigger.definitionJson}): {@link #toJsonObject()} as compact JSON text. */
  public String toJson() {
    return toJsonObject().encode();
  }
}
