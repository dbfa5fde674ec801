package io.tycostream.triggers.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tycostream.triggers.definition.GateSpecParser;
import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.json.JsonMappers;
import io.tycostream.triggers.store.StoredTrigger;

import java.util.Iterator;
import java.util.List;

/**
 * A {@code PATCH /api/v1/triggers/{name}} body applied to a stored trigger, as a JSON merge patch (RFC 7386): the
 * fields it names replace the stored ones, {@code "clear": null} removes the clear condition, {@code metadata} is
 * merged label by label (a label set to {@code null} is removed), so is {@code retry} part by part (a part set to
 * {@code null} goes back to the default), a {@code ttl} replaces the stored {@code expires_at} (counted from the
 * patch), and {@code enabled} turns the trigger off or on. {@code params} and {@code computed} are replaced as a
 * whole (like {@code fire}; {@code PUT …/params} is the same replacement). {@code name} and {@code source} cannot
 * change (the state belongs to them), nor the secret (rotated with {@code secret:rotate}). The merged definition is
 * then checked like a new one.
 *
 * @param definitionJson the whole definition after the patch, to be checked with the service's checks
 * @param enabled        whether the trigger is enabled after the patch
 */
record TriggerPatch(String definitionJson, boolean enabled) {

  static final String ENABLED = "enabled";
  /** The fields a patch may carry ({@code name} and {@code source} only unchanged). */
  static final List<String> FIELDS = List.of(TriggerDefinitionParser.NAME, TriggerDefinitionParser.SOURCE,
      TriggerDefinitionParser.WEBHOOK, TriggerDefinitionParser.FIRE, TriggerDefinitionParser.CLEAR,
      TriggerDefinitionParser.INCLUDE_SNAPSHOT, TriggerDefinitionParser.MODE, TriggerDefinitionParser.DESCRIPTION,
      TriggerDefinitionParser.METADATA, TriggerDefinitionParser.FIELDS, ENABLED, TriggerDefinitionParser.PARAMS,
      TriggerDefinitionParser.COMPUTED, TriggerDefinitionParser.RETRY, TriggerDefinitionParser.TIMEOUT,
      TriggerDefinitionParser.EXPIRES_AT, TriggerDefinitionParser.TTL,
      TriggerDefinitionParser.RATE_LIMIT, TriggerDefinitionParser.ORDERING,
      TriggerDefinitionParser.BATCH, TriggerDefinitionParser.COOLDOWN, TriggerDefinitionParser.DELIVER_IF,
      TriggerDefinitionParser.ALERT_URL);

  /** Applies {@code body} (the request's JSON text) to {@code current}. */
  static TriggerPatch apply(StoredTrigger current, String body) {
    JsonNode patch = read(body);
    if (patch == null || !patch.isObject()) {
      throw new ServiceException(ErrorCode.MALFORMED_JSON, "the body must be a JSON object of the fields to change");
    }
    ObjectNode merged;
    try {
      merged = (ObjectNode) JsonMappers.strict().readTree(current.definitionJson());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored definition of trigger '" + current.name() + "' is unreadable", e);
    }
    boolean enabled = current.enabled();
    Iterator<String> names = patch.fieldNames();
    while (names.hasNext()) {
      String field = names.next();
      JsonNode value = patch.get(field);
      if (!FIELDS.contains(field)) {
        throw new ServiceException(ErrorCode.UNKNOWN_FIELD, "unknown field '" + field + "' (a patch may change "
            + FIELDS.subList(2, FIELDS.size()) + ")", field);
      }
      switch (field) {
        case TriggerDefinitionParser.NAME, TriggerDefinitionParser.SOURCE -> {
          if (!value.equals(merged.get(field))) {
            throw new ServiceException(ErrorCode.INVALID_FIELD, field + " cannot be changed (its state belongs to "
                + "it): create a new trigger instead", field);
          }
        }
        case ENABLED -> {
          if (!value.isBoolean()) {
            throw new ServiceException(ErrorCode.INVALID_FIELD, "enabled must be true or false", ENABLED);
          }
          enabled = value.booleanValue();
        }
        case TriggerDefinitionParser.WEBHOOK -> merged.set(field, webhook(value, merged.get(field)));
        case TriggerDefinitionParser.TTL -> {
          // a ttl counts from this patch and replaces the stored expires_at; "ttl": null removes the expiry
          merged.remove(TriggerDefinitionParser.EXPIRES_AT);
          if (!value.isNull()) {
            merged.set(field, value);
          }
        }
        case TriggerDefinitionParser.RETRY -> {
          if (value.isObject() && merged.get(field) instanceof ObjectNode parts) {
            // merged part by part (RFC 7386): a part set to null goes back to the service's default
            value.fields().forEachRemaining(part -> {
              if (part.getValue().isNull()) {
                parts.remove(part.getKey());
              } else {
                parts.set(part.getKey(), part.getValue());
              }
            });
            if (parts.isEmpty()) {
              merged.remove(field);
            }
          } else if (value.isNull()) {
            merged.remove(field);
          } else {
            merged.set(field, value.isObject() ? withoutNulls((ObjectNode) value) : value);
          }
        }
        case TriggerDefinitionParser.METADATA -> {
          if (value.isObject() && merged.get(field) instanceof ObjectNode labels) {
            // merged label by label: a label set to null is removed, the others stay
            value.fields().forEachRemaining(label -> {
              if (label.getValue().isNull()) {
                labels.remove(label.getKey());
              } else {
                labels.set(label.getKey(), label.getValue());
              }
            });
          } else if (value.isNull()) {
            merged.remove(field);
          } else {
            merged.set(field, value.isObject() ? withoutNulls((ObjectNode) value) : value);
          }
        }
        default -> {
          if (value.isNull()) {
            merged.remove(field);
          } else {
            merged.set(field, value);
          }
        }
      }
    }
    return new TriggerPatch(merged.toString(), enabled);
  }

  private static ObjectNode withoutNulls(ObjectNode labels) {
    ObjectNode kept = labels.deepCopy();
    labels.fields().forEachRemaining(label -> {
      if (label.getValue().isNull()) {
        kept.remove(label.getKey());
      }
    });
    return kept;
  }

  /**
   * The webhook after the patch: its URL and client certificate may change ({@code "client_certificate": null} goes
   * back to the global certificate); the secret is rotated, never patched.
   */
  private static JsonNode webhook(JsonNode patch, JsonNode current) {
    if (!patch.isObject()) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, "webhook must be an object like {\"url\": \"https://…\"}",
          TriggerDefinitionParser.WEBHOOK);
    }
    ObjectNode merged = ((ObjectNode) current).deepCopy();
    Iterator<String> names = patch.fieldNames();
    while (names.hasNext()) {
      String field = names.next();
      String path = TriggerDefinitionParser.WEBHOOK + "." + field;
      if (field.equals(TriggerDefinitionParser.SECRET)) {
        throw new ServiceException(ErrorCode.INVALID_FIELD, "the secret is not patched: rotate it with POST "
            + TriggerRoutes.TRIGGERS + "/{name}/secret:rotate", path);
      }
      if (field.equals(TriggerDefinitionParser.CLIENT_CERTIFICATE) && patch.get(field).isNull()) {
        merged.remove(field);
        continue;
      }
      if (!field.equals(TriggerDefinitionParser.URL) && !field.equals(TriggerDefinitionParser.CLIENT_CERTIFICATE)) {
        throw new ServiceException(ErrorCode.UNKNOWN_FIELD, "unknown field '" + path + "'", path);
      }
      merged.set(field, patch.get(field));
    }
    return merged;
  }

  private static JsonNode read(String body) {
    if (body == null || body.isBlank()) {
      throw new ServiceException(ErrorCode.MALFORMED_JSON, "the body is empty; send the fields to change");
    }
    try {
      return JsonMappers.strict().readTree(body);
    } catch (NumberFormatException | ArithmeticException unrepresentable) {
      String field = JsonMappers.firstUnrepresentableNumber(body).orElse(null);
      throw new ServiceException(ErrorCode.INVALID_FIELD, "a number" + (field == null ? "" : " at '" + field + "'")
          + " is out of range: its exponent or length cannot be represented", field);
    } catch (JsonProcessingException e) {
      throw new ServiceException(ErrorCode.MALFORMED_JSON, "malformed JSON: " + JsonMappers.problemOf(e));
    }
  }
}
