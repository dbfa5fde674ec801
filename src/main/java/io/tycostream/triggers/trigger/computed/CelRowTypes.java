package io.tycostream.triggers.trigger.computed;

import com.google.protobuf.Timestamp;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import io.tycostream.triggers.source.ColumnType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How source columns look to a CEL expression, and how CEL results come back into an event's {@code data}.
 * <p>
 * Column types: integer columns ({@code int2}, {@code int4}, {@code int8}, {@code uint2}, {@code uint4}) are CEL
 * {@code int}; {@code numeric} (and {@code uint8}) and float columns are CEL {@code double} (a {@code numeric} is
 * rounded to the nearest double, about 15-17 significant digits; NaN and infinities stay); text and other columns
 * are {@code string}; boolean is {@code bool}; {@code timestamptz} is {@code google.protobuf.Timestamp} (CEL's {@code timestamp});
 * {@code timestamp} and {@code date} are their ISO-8601 {@code string} (they have no zone, CEL timestamps need one);
 * json columns are {@code dyn} (objects are maps, numbers are {@code int} or {@code double}).
 * <p>
 * Results: {@code int}, {@code double}, {@code bool}, {@code string} as JSON numbers, booleans and strings;
 * timestamps as {@code timestamptz} values (ISO-8601 UTC in the payload); lists and maps as JSON arrays and objects;
 * anything else as its text. Pure and thread-safe.
 */
final class CelRowTypes {

  private CelRowTypes() {
  }

  /** The CEL type a column of {@code type} has in {@code row}. */
  static CelType celType(ColumnType type) {
    return switch (type) {
      case INTEGER -> SimpleType.INT;
      case NUMERIC, FLOAT -> SimpleType.DOUBLE;
      case BOOLEAN -> SimpleType.BOOL;
      case TIMESTAMPTZ -> SimpleType.TIMESTAMP;
      case TEXT, OTHER, TIMESTAMP, DATE -> SimpleType.STRING;
      case JSON -> SimpleType.DYN;
    };
  }

  /**
   * The column type a computed field has when a condition compares it ({@code fire: {"exposure": {"_gt": 5}}}): int
   * is integer, double is float, and so on; a result of any other type is json (only {@code _is_null} applies).
   */
  static ColumnType columnType(CelType result) {
    if (result.equals(SimpleType.INT)) {
      return ColumnType.INTEGER;
    }
    if (result.equals(SimpleType.DOUBLE)) {
      return ColumnType.FLOAT;
    }
    if (result.equals(SimpleType.BOOL)) {
      return ColumnType.BOOLEAN;
    }
    if (result.equals(SimpleType.STRING)) {
      return ColumnType.TEXT;
    }
    if (result.equals(SimpleType.TIMESTAMP)) {
      return ColumnType.TIMESTAMPTZ;
    }
    return ColumnType.JSON;
  }

  /** A row value (typed as {@link ColumnType} documents) as CEL sees it; {@code null} stays null. */
  static Object celValue(ColumnType type, Object value) {
    if (value == null) {
      return null;
    }
    return switch (type) {
      case INTEGER -> ((Number) value).longValue();
      case NUMERIC, FLOAT -> value instanceof BigDecimal exact ? exact.doubleValue() : ((Number) value).doubleValue();
      case BOOLEAN -> value;
      case TIMESTAMPTZ -> ((OffsetDateTime) value).toInstant();
      case DATE -> DateTimeFormatter.ISO_LOCAL_DATE.format((LocalDate) value);
      case TIMESTAMP -> DateTimeFormatter.ISO_LOCAL_DATE_TIME.format((LocalDateTime) value);
      case TEXT, OTHER -> value.toString();
      case JSON -> jsonValue(value);
    };
  }

  /** A CEL result as a row value ({@link io.tycostream.triggers.trigger.RowJson} writes it). */
  static Object rowValue(Object result) {
    if (result == null || result instanceof Long || result instanceof Double || result instanceof Boolean
        || result instanceof String) {
      return result;
    }
    if (result instanceof Instant instant) {
      return instant.atOffset(ZoneOffset.UTC);
    }
    if (result instanceof java.time.Duration duration) {
      return duration.toString();
    }
    if (result instanceof Timestamp time) {
      return Instant.ofEpochSecond(time.getSeconds(), time.getNanos()).atOffset(ZoneOffset.UTC);
    }
    if (result instanceof com.google.common.primitives.UnsignedLong unsigned) {
      return unsigned.bigIntegerValue();
    }
    if (result instanceof com.google.protobuf.NullValue) {
      return null;
    }
    if (result instanceof List<?> list) {
      List<Object> values = new ArrayList<>(list.size());
      list.forEach(element -> values.add(rowValue(element)));
      return values;
    }
    if (result instanceof Map<?, ?> map) {
      Map<String, Object> values = new LinkedHashMap<>();
      map.forEach((key, element) -> values.put(String.valueOf(key), rowValue(element)));
      return values;
    }
    return result.toString();
  }

  /** A json column value with CEL's number types: integers as long, decimals as double. */
  private static Object jsonValue(Object value) {
    if (value instanceof JsonObject object) {
      return jsonValue(object.getMap());
    }
    if (value instanceof JsonArray array) {
      return jsonValue(array.getList());
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> values = new LinkedHashMap<>();
      map.forEach((key, element) -> values.put(String.valueOf(key), jsonValue(element)));
      return values;
    }
    if (value instanceof List<?> list) {
      List<Object> values = new ArrayList<>(list.size());
      list.forEach(element -> values.add(jsonValue(element)));
      return values;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() < 64 ? (Object) big.longValue() : big.doubleValue();
    }
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    return value;
  }
}
