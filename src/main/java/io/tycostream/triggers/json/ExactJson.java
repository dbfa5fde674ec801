package io.tycostream.triggers.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Reads JSON into Vert.x values without passing decimals through {@code double}: integers become {@code Long} (or
 * {@code BigInteger}), decimals {@code BigDecimal}. Used for trigger conditions, so {@code 0.1} compares as exactly
 * 0.1, and for stored event rows and keys, so the API shows a {@code numeric} with every digit. Thread-safe.
 */
public final class ExactJson {

  private static final ObjectMapper JSON = JsonMappers.strict();

  private ExactJson() {
  }

  /** The value of {@code json}: JsonObject, JsonArray, String, Boolean, Long, BigInteger, BigDecimal or null. */
  public static Object parse(String json) {
    try {
      return value(JSON.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
    }
  }

  /** The tree of {@code json}, for reading a few fields of a received body; {@code null} if it is not JSON. */
  public static JsonNode tree(byte[] json) {
    try {
      return json == null || json.length == 0 ? null : JSON.readTree(json);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /** The Vert.x JSON value of an already parsed {@code node}, with exact numbers. */
  public static Object value(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isObject()) {
      JsonObject object = new JsonObject();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        object.put(field.getKey(), value(field.getValue()));
      }
      return object;
    }
    if (node.isArray()) {
      JsonArray array = new JsonArray();
      node.forEach(item -> array.add(value(item)));
      return array;
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
    }
    if (node.isNumber()) {
      return node.decimalValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return node.asText();
  }
}
