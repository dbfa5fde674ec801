package io.tycostream.triggers.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.json.ExactJson;
import io.tycostream.triggers.json.JsonMappers;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Reads trigger definitions from JSON (the admin API body, the stored form) or from an already parsed tree (the
 * {@code triggers:} list of the YAML configuration).
 * <p>
 * Strict: unknown fields are rejected at every level, duplicate keys and trailing content are malformed JSON, and
 * numbers inside conditions stay exact ({@code BigDecimal}). Checks run in a fixed order, so the first problem
 * reported is predictable: unknown fields, {@code name}, {@code source}, {@code webhook.url}, the webhook target,
 * {@code webhook.secret}, {@code webhook.client_certificate}, {@code fire}, {@code clear}, {@code include_snapshot},
 * {@code mode}, {@code alert_url} (its form, then its target), then the other optional fields ({@code params},
 * {@code computed} last). Conditions, params and computed fields are only checked for shape here; compiling them
 * against the source's schema is the caller's job
 * ({@link TriggerStateMachine#compile}). Every problem is a {@link TriggerDefinitionException} naming the field.
 * <p>
 * Stateless and thread-safe.
 */
public final class TriggerDefinitionParser {

  public static final String NAME = "name";
  public static final String SOURCE = "source";
  public static final String WEBHOOK = "webhook";
  public static final String URL = "url";
  public static final String SECRET = "secret";
  /** {@code webhook.client_certificate}: the name of a configured client certificate (mTLS), see {@link Checks}. */
  public static final String CLIENT_CERTIFICATE = "client_certificate";
  /** Names of client certificates (as in {@code delivery.tls.client_certificates}). */
  public static final Pattern CLIENT_CERTIFICATE_NAME = Pattern.compile("[a-z0-9_-]{1,64}");
  public static final String FIRE = "fire";
  public static final String CLEAR = "clear";
  public static final String INCLUDE_SNAPSHOT = "include_snapshot";
  /** {@code "live"} (default) or {@code "debug"}: see {@link TriggerMode}. */
  public static final String MODE = "mode";
  public static final String DESCRIPTION = "description";
  public static final String METADATA = "metadata";
  public static final String FIELDS = "fields";
  /** Values of the {@code {"_param": …}} placeholders in the conditions: see {@link ParamsParser}. */
  public static final String PARAMS = "params";
  /** Computed fields (CEL expressions over {@code row}): see {@link ComputedFieldsParser}. */
  public static final String COMPUTED = "computed";
  /** Retry policy, request timeout and expiry (#11 items 1 and 7): read by {@link RetrySpecParser}. */
  public static final String RETRY = RetrySpecParser.RETRY;
  public static final String TIMEOUT = RetrySpecParser.TIMEOUT;
  public static final String EXPIRES_AT = ExpiryParser.EXPIRES_AT;
  public static final String TTL = ExpiryParser.TTL;
  /** {@code {"per_second": 50, "burst": 100}}: see {@link RateLimit}. */
  public static final String RATE_LIMIT = "rate_limit";
  /** {@code "concurrent"} (default) or {@code "per_key"}: see {@link DeliveryOrdering}. */
  public static final String ORDERING = "ordering";
  /** Batch delivery, see {@link BatchSpecParser}. */
  public static final String BATCH = "batch";
  /** Cooldown per key and conditional delivery on another source (#11 items 2 and 9): see {@link GateSpecParser}. */
  public static final String COOLDOWN = GateSpecParser.COOLDOWN;
  public static final String DELIVER_IF = GateSpecParser.DELIVER_IF;
  /**
   * Where the alerts about this trigger also go ({@link TriggerAlertName}): an absolute http(s) URL under the same
   * rules as {@code webhook.url}.
   */
  public static final String ALERT_URL = "alert_url";
  static final int MAX_FIELDS = 256;
  /** Keys of {@code metadata} labels. */
  public static final Pattern METADATA_KEY = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
  static final int MAX_DESCRIPTION_CHARS = 1_000;
  static final int MAX_METADATA_ENTRIES = 32;
  static final int MAX_METADATA_VALUE_CHARS = 256;

  /** Trigger names: lower-case letters, digits and underscores, 1 to 64 characters (they appear in event ids). */
  public static final Pattern NAME_PATTERN = Pattern.compile("[a-z0-9_]{1,64}");

  /** Every top-level field a definition may have, in the order they are documented; others are unknown_field. */
  public static final List<String> TOP_FIELDS = List.of(NAME, SOURCE, WEBHOOK, FIRE, CLEAR, INCLUDE_SNAPSHOT, MODE,
      DESCRIPTION, METADATA, FIELDS, PARAMS, COMPUTED, RETRY, TIMEOUT, EXPIRES_AT, TTL, RATE_LIMIT,
      ORDERING, BATCH, COOLDOWN, DELIVER_IF, ALERT_URL);
  /** Every field of {@code webhook}. */
  public static final List<String> WEBHOOK_FIELDS = List.of(URL, SECRET, CLIENT_CERTIFICATE);

  private static final ObjectMapper JSON = JsonMappers.strict();

  /**
   * Checks that depend on the running service, applied in their place in the order above.
   *
   * @param knownSource   whether a source name is configured; a {@code false} is {@code unknown_source}
   * @param webhookTarget throws a {@link TriggerDefinitionException} when the URL's target is refused
   * @param clientCertificate throws a {@link TriggerDefinitionException} when a {@code webhook.client_certificate}
   *                      name is not configured (called only for a name that is given and well formed)
   */
  public record Checks(Predicate<String> knownSource, Consumer<URI> webhookTarget,
                       Consumer<String> clientCertificate) {

    /** No service checks: any source, any target, any certificate name (reading back what was stored). */
    public static final Checks NONE = new Checks(source -> true, url -> { });

    public Checks {
      Objects.requireNonNull(knownSource, "knownSource");
      Objects.requireNonNull(webhookTarget, "webhookTarget");
      Objects.requireNonNull(clientCertificate, "clientCertificate");
    }

    /** Any well-formed client certificate name accepted. */
    public Checks(Predicate<String> knownSource, Consumer<URI> webhookTarget) {
      this(knownSource, webhookTarget, name -> { });
    }
  }

  /**
   * A new trigger as requested: its definition and the secret the user chose, if any.
   *
   * @param secret the {@code whsec_…} secret given in {@code webhook.secret}, or {@code null} to generate one
   */
  public record ParsedTrigger(TriggerDefinition definition, String secret) {

    public ParsedTrigger {
      Objects.requireNonNull(definition, "definition");
    }

    @Override
    public String toString() {
      // a secret must never reach a log line
      return "ParsedTrigger[definition=" + definition + ", secret=" + (secret == null ? "none" : "***") + "]";
    }
  }

  /** Levels of nested objects and arrays a condition may have (an {@code _and} of an {@code _or} of … ). */
  static final int MAX_CONDITION_DEPTH = 32;
  /** Values (objects, arrays, columns, operands) a condition may hold in all. */
  static final int MAX_CONDITION_NODES = 2_000;

  private TriggerDefinitionParser() {
  }

  /** Reads a stored definition ({@link TriggerDefinition#toJson()}); no service checks. */
  public static TriggerDefinition parse(String json) {
    return parseRequest(json, Checks.NONE).definition();
  }

  /** Reads a new trigger from JSON text (an API body). */
  public static ParsedTrigger parseRequest(String json, Checks checks) {
    return parseRequest(readTree(json), checks);
  }

  /** Reads a new trigger from a parsed tree (JSON or YAML); field paths are relative to {@code node}. */
  public static ParsedTrigger parseRequest(JsonNode node, Checks checks) {
    Objects.requireNonNull(checks, "checks");
    if (node == null || !node.isObject()) {
      throw new TriggerDefinitionException(ErrorCode.MALFORMED_JSON, null,
          "expected a JSON object with name, source, webhook and fire");
    }
    rejectUnknown(node, "", TOP_FIELDS);
    JsonNode webhook = node.get(WEBHOOK);
    if (webhook != null && webhook.isObject()) {
      rejectUnknown(webhook, WEBHOOK + ".", WEBHOOK_FIELDS);
    }
    String name = name(node);
    String source = requiredText(node, SOURCE, SOURCE);
    if (!checks.knownSource().test(source)) {
      throw new TriggerDefinitionException(ErrorCode.UNKNOWN_SOURCE, SOURCE,
          "no source named '" + source + "' is configured");
    }
    if (webhook == null || webhook.isNull()) {
      throw invalid(WEBHOOK, "is required: {\"url\": \"https://…\"}");
    }
    if (!webhook.isObject()) {
      throw invalid(WEBHOOK, "expected an object like {\"url\": \"https://…\"}");
    }
    WebhookTarget url = webhookUrl(webhook);
    checks.webhookTarget().accept(url.uri());
    String secret = secret(webhook);
    String clientCertificate = clientCertificate(webhook);
    if (clientCertificate != null) {
      checks.clientCertificate().accept(clientCertificate);
      url = url.withClientCertificate(clientCertificate);
    }
    JsonObject fire = condition(node, FIRE, true);
    JsonObject clear = condition(node, CLEAR, false);
    boolean includeSnapshot = includeSnapshot(node);
    TriggerMode mode = mode(node);
    WebhookTarget alertTarget = alertUrl(node, checks);
    TriggerDefinition definition = new TriggerDefinition(name, source, url, fire, clear, includeSnapshot, mode,
        description(node), metadata(node), fields(node), ParamsParser.params(node.get(PARAMS)),
        ComputedFieldsParser.computed(node.get(COMPUTED)), RetrySpec.NONE, null, null,
        DeliveryFlowParser.rateLimit(node), DeliveryFlowParser.ordering(node), BatchSpecParser.parse(node),
        GateSpecParser.cooldown(node), GateSpecParser.deliverIf(node, checks.knownSource()), alertTarget);
    return new ParsedTrigger(RetrySpecParser.apply(node, definition), secret);
  }

  private static JsonNode readTree(String json) {
    if (json == null || json.isBlank()) {
      throw new TriggerDefinitionException(ErrorCode.MALFORMED_JSON, null, "the body is empty");
    }
    try {
      return JSON.readTree(json);
    } catch (NumberFormatException | ArithmeticException unrepresentable) {
      // a number exact decimals cannot hold, such as 1E+2147483648 (the exponent overflows)
      String field = JsonMappers.firstUnrepresentableNumber(json).orElse(null);
      ErrorCode code = field != null && (field.startsWith(FIRE) || field.startsWith(CLEAR))
          ? ErrorCode.INVALID_CONDITION : ErrorCode.INVALID_FIELD;
      throw new TriggerDefinitionException(code, field, "a number" + (field == null ? "" : " at '" + field + "'")
          + " is out of range: its exponent or length cannot be represented");
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr();
      throw new TriggerDefinitionException(ErrorCode.MALFORMED_JSON, null,
          "malformed JSON" + where + ": " + JsonMappers.problemOf(e));
    }
  }

  private static void rejectUnknown(JsonNode node, String prefix, List<String> known) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String field = names.next();
      if (!known.contains(field)) {
        throw new TriggerDefinitionException(ErrorCode.UNKNOWN_FIELD, prefix + field,
            "unknown field '" + prefix + field + "' (expected one of " + known + ")");
      }
    }
  }

  private static String name(JsonNode node) {
    String name = requiredText(node, NAME, NAME);
    if (!NAME_PATTERN.matcher(name).matches()) {
      throw invalid(NAME, "'" + shorten(name) + "' must be 1 to 64 of a-z, 0-9 and _");
    }
    return name;
  }

  private static WebhookTarget webhookUrl(JsonNode webhook) {
    String path = WEBHOOK + "." + URL;
    JsonNode value = webhook.get(URL);
    if (value != null && !value.isNull() && !value.isTextual()) {
      throw invalid(path, "expected a string");
    }
    try {
      return WebhookTarget.parse(value == null || value.isNull() ? null : value.textValue());
    } catch (IllegalArgumentException e) {
      throw invalid(path, e.getMessage());
    }
  }

  /**
   * The optional {@code alert_url}: the form of {@link WebhookTarget#parse} and the service's target check, like
   * {@code webhook.url}, with a refusal reported against {@code alert_url}.
   */
  private static WebhookTarget alertUrl(JsonNode node, Checks checks) {
    JsonNode value = node.get(ALERT_URL);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalid(ALERT_URL, "expected a string");
    }
    WebhookTarget target;
    try {
      target = WebhookTarget.parse(value.textValue());
    } catch (IllegalArgumentException e) {
      throw invalid(ALERT_URL, e.getMessage());
    }
    try {
      checks.webhookTarget().accept(target.uri());
    } catch (TriggerDefinitionException refused) {
      // the service's check names webhook.url; the refusal is the same, the field is this one
      throw new TriggerDefinitionException(refused.code(), ALERT_URL, ALERT_URL + " refused: " + refused.getMessage());
    }
    return target;
  }

  private static String secret(JsonNode webhook) {
    String path = WEBHOOK + "." + SECRET;
    JsonNode node = webhook.get(SECRET);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw invalid(path, "expected a string like whsec_<base64>");
    }
    try {
      return WebhookSecret.parse(node.textValue()).value();
    } catch (IllegalArgumentException e) {
      // WebhookSecret's messages never contain the secret
      throw invalid(path, e.getMessage());
    }
  }

  /** The name of a configured client certificate, checked for form only here, or {@code null} when not given. */
  private static String clientCertificate(JsonNode webhook) {
    String path = WEBHOOK + "." + CLIENT_CERTIFICATE;
    JsonNode node = webhook.get(CLIENT_CERTIFICATE);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw invalid(path, "expected the name of a configured client certificate (delivery.tls.client_certificates)");
    }
    if (!CLIENT_CERTIFICATE_NAME.matcher(node.textValue()).matches()) {
      throw invalid(path, "'" + shorten(node.textValue()) + "' must be 1 to 64 of a-z, 0-9, '_' and '-'");
    }
    return node.textValue();
  }

  private static JsonObject condition(JsonNode node, String field, boolean required) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw invalid(field, "is required: a condition like {\"net_position\": {\"_gt\": 10000}}");
      }
      return null;
    }
    if (!value.isObject()) {
      throw invalid(field, "expected a condition object like {\"net_position\": {\"_gt\": 10000}}");
    }
    if (required && value.isEmpty()) {
      throw invalid(field, "must not be empty: a trigger that always fires is a mistake");
    }
    int[] nodes = {0};
    checkSize(value, field, 1, nodes);
    return (JsonObject) ExactJson.value(value);
  }

  /**
   * Bounds a condition before anything recurses over it: at most {@value #MAX_CONDITION_DEPTH} levels of nested
   * objects and arrays and {@value #MAX_CONDITION_NODES} values in all, so a hostile or generated condition is a 400
   * naming where it went too far, not a stack overflow or a slow compile.
   */
  private static void checkSize(JsonNode node, String path, int depth, int[] nodes) {
    if (++nodes[0] > MAX_CONDITION_NODES) {
      throw new TriggerDefinitionException(ErrorCode.INVALID_CONDITION, path.substring(0, path.indexOf('.') < 0
          ? path.length() : path.indexOf('.')), "the condition is too large: more than " + MAX_CONDITION_NODES
          + " values");
    }
    if (!node.isContainerNode()) {
      return;
    }
    if (depth > MAX_CONDITION_DEPTH) {
      throw new TriggerDefinitionException(ErrorCode.INVALID_CONDITION, path, "the condition is nested more than "
          + MAX_CONDITION_DEPTH + " levels deep");
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkSize(node.get(i), path + "[" + i + "]", depth + 1, nodes);
      }
    } else {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> entry = fields.next();
        checkSize(entry.getValue(), path + "." + entry.getKey(), depth + 1, nodes);
      }
    }
  }

  private static boolean includeSnapshot(JsonNode node) {
    JsonNode value = node.get(INCLUDE_SNAPSHOT);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw invalid(INCLUDE_SNAPSHOT, "expected true or false");
    }
    return value.booleanValue();
  }

  /** The selected columns: distinct names, checked against the source's columns when the trigger is compiled. */
  private static List<String> fields(JsonNode node) {
    JsonNode value = node.get(FIELDS);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray() || value.isEmpty()) {
      throw invalid(FIELDS, "expected a non-empty list of column names");
    }
    if (value.size() > MAX_FIELDS) {
      throw invalid(FIELDS, "has more than " + MAX_FIELDS + " columns");
    }
    List<String> fields = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode column = value.get(i);
      String path = FIELDS + "[" + i + "]";
      if (!column.isTextual() || column.textValue().isBlank()) {
        throw invalid(path, "expected a column name");
      }
      if (fields.contains(column.textValue())) {
        throw invalid(path, "'" + shorten(column.textValue()) + "' is listed twice");
      }
      fields.add(column.textValue());
    }
    return fields;
  }

  private static String description(JsonNode node) {
    JsonNode value = node.get(DESCRIPTION);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalid(DESCRIPTION, "expected a string");
    }
    if (value.textValue().length() > MAX_DESCRIPTION_CHARS) {
      throw invalid(DESCRIPTION, "is longer than " + MAX_DESCRIPTION_CHARS + " characters");
    }
    return value.textValue();
  }

  /** Labels: at most {@value #MAX_METADATA_ENTRIES} string values under keys of {@link #METADATA_KEY}. */
  private static Map<String, String> metadata(JsonNode node) {
    JsonNode value = node.get(METADATA);
    if (value == null || value.isNull()) {
      return Map.of();
    }
    if (!value.isObject()) {
      throw invalid(METADATA, "expected an object of labels like {\"team\": \"risk\"}");
    }
    if (value.size() > MAX_METADATA_ENTRIES) {
      throw invalid(METADATA, "has more than " + MAX_METADATA_ENTRIES + " labels");
    }
    Map<String, String> labels = new java.util.TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> entries = value.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      String path = METADATA + "." + entry.getKey();
      if (!METADATA_KEY.matcher(entry.getKey()).matches()) {
        throw invalid(path, "is not a label key: 1 to 64 of a-z, 0-9, '_', '.', '-', starting with a letter or digit");
      }
      if (!entry.getValue().isTextual()) {
        throw invalid(path, "expected a string");
      }
      if (entry.getValue().textValue().length() > MAX_METADATA_VALUE_CHARS) {
        throw invalid(path, "is longer than " + MAX_METADATA_VALUE_CHARS + " characters");
      }
      labels.put(entry.getKey(), entry.getValue().textValue());
    }
    return labels;
  }

  /** Absent (a definition stored before modes existed, or not given) is live. */
  private static TriggerMode mode(JsonNode node) {
    JsonNode value = node.get(MODE);
    if (value == null || value.isNull()) {
      return TriggerMode.LIVE;
    }
    if (!value.isTextual()) {
      throw invalid(MODE, "expected \"live\" or \"debug\"");
    }
    return TriggerMode.of(value.textValue()).orElseThrow(() -> invalid(MODE, "'" + shorten(value.textValue())
        + "' is not a mode: expected \"live\" or \"debug\""));
  }

  private static String requiredText(JsonNode parent, String field, String path) {
    JsonNode value = parent.get(field);
    if (value == null || value.isNull()) {
      throw invalid(path, "is required");
    }
    if (!value.isTextual()) {
      throw invalid(path, "expected a string");
    }
    if (value.textValue().isBlank()) {
      throw invalid(path, "must not be blank");
    }
    return value.textValue();
  }

  private static TriggerDefinitionException invalid(String field, String problem) {
    return new TriggerDefinitionException(ErrorCode.INVALID_FIELD, field, field + " " + problem);
  }

  private static String shorten(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "…" : text;
  }

}
