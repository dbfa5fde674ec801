package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.source.ColumnType;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Maps the Vert.x pg client's column types to {@link ColumnType} and its decoded values to the Java types that
 * {@link ColumnType} documents. Pure and thread-safe.
 * <p>
 * Types are taken from the RowDescription through {@code ColumnDescriptor.typeName()}, which names the client's
 * {@code DataType} ({@code INT4}, {@code NUMERIC}, {@code TIMESTAMPTZ}, …). Type OIDs the client does not know
 * (Materialize's {@code uint*}, {@code list}, {@code map}, {@code mz_timestamp}) arrive as {@code UNKNOWN} with their
 * text form, and become {@link ColumnType#OTHER} strings.
 */
final class PgValueDecoder {

  private PgValueDecoder() {
  }

  /** The logical type of a column whose client type name is {@code typeName}. */
  public static ColumnType columnType(String typeName) {
    switch (typeName == null ? "" : typeName.toUpperCase(Locale.ROOT)) {
      case "BOOL":
        return ColumnType.BOOLEAN;
      case "INT2":
      case "INT4":
      case "INT8":
        return ColumnType.INTEGER;
      case "NUMERIC":
        return ColumnType.NUMERIC;
      case "FLOAT4":
      case "FLOAT8":
        return ColumnType.FLOAT;
      case "TEXT":
      case "VARCHAR":
      case "BPCHAR":
      case "CHAR":
      case "NAME":
        return ColumnType.TEXT;
      case "TIMESTAMP":
        return ColumnType.TIMESTAMP;
      case "TIMESTAMPTZ":
        return ColumnType.TIMESTAMPTZ;
      case "DATE":
        return ColumnType.DATE;
      case "JSON":
      case "JSONB":
        return ColumnType.JSON;
      default:
        return ColumnType.OTHER;
    }
  }

  /** The server-style type name for messages: {@code INT4} → {@code int4}, {@code INT4_ARRAY} → {@code int4[]}. */
  public static String sqlTypeName(String typeName) {
    String name = typeName == null ? "unknown" : typeName.toLowerCase(Locale.ROOT);
    return name.endsWith("_array") ? name.substring(0, name.length() - "_array".length()) + "[]" : name;
  }

  /**
   * Converts a value decoded by the client to the Java type of {@code type}; {@code null} stays {@code null}.
   * A numeric {@code NaN} has no {@link BigDecimal} form and becomes {@code null}; a JSON {@code null} becomes
   * {@code null}.
   */
  public static Object decode(ColumnType type, Object value) {
    if (value == null) {
      return null;
    }
    switch (type) {
      case BOOLEAN:
        return value instanceof Boolean b ? b : Boolean.valueOf(isTrue(value.toString()));
      case INTEGER:
        return value instanceof Number n ? Long.valueOf(n.longValue()) : Long.valueOf(value.toString().trim());
      case NUMERIC:
        return toBigDecimal(value);
      case FLOAT:
        return toDouble(value);
      case TEXT:
        return value.toString();
      case TIMESTAMP:
        return value instanceof LocalDateTime ? value : LocalDateTime.parse(value.toString());
      case TIMESTAMPTZ:
        return value instanceof OffsetDateTime odt
            ? odt.withOffsetSameInstant(ZoneOffset.UTC)
            : OffsetDateTime.parse(value.toString()).withOffsetSameInstant(ZoneOffset.UTC);
      case DATE:
        return value instanceof LocalDate ? value : LocalDate.parse(value.toString());
      case JSON:
        return value == Tuple.JSON_NULL ? null : value;
      default:
        return textForm(value);
    }
  }

  /** {@code mz_timestamp}: a {@code numeric(39,0)} holding an unsigned 64-bit millisecond count. */
  public static BigInteger decodeTimestamp(Object value) {
    if (value instanceof Numeric numeric) {
      return numeric.bigIntegerValue();
    }
    if (value instanceof BigInteger bigInteger) {
      return bigInteger;
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toBigIntegerExact();
    }
    if (value instanceof Number number) {
      return BigInteger.valueOf(number.longValue());
    }
    if (value == null) {
      throw new SubscribeOutputException("mz_timestamp is null");
    }
    return new BigInteger(value.toString().trim());
  }

  private static boolean isTrue(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    return t.equals("t") || t.equals("true");
  }

  private static BigDecimal toBigDecimal(Object value) {
    if (value instanceof Numeric numeric) {
      return numeric.isNaN() ? null : numeric.bigDecimalValue();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal;
    }
    String text = value.toString().trim();
    return text.equalsIgnoreCase("NaN") ? null : new BigDecimal(text);
  }

  private static Double toDouble(Object value) {
    if (value instanceof Double d) {
      return d;
    }
    // Float → Double through the decimal text, so 0.1f stays 0.1 instead of 0.10000000149011612
    return Double.valueOf(value.toString().trim());
  }

  private static String textForm(Object value) {
    if (value instanceof Buffer buffer) {
      return "\\x" + HexFormat.of().formatHex(buffer.getBytes());
    }
    if (value.getClass().isArray()) {
      StringBuilder text = new StringBuilder("{");
      for (int i = 0; i < Array.getLength(value); i++) {
        Object element = Array.get(value, i);
        text.append(i == 0 ? "" : ",").append(element == null ? "NULL" : textForm(element));
      }
      return text.append('}').toString();
    }
    return value.toString();
  }
}
