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
 * text form; the client forgets their OID but keeps their {@code typlen} ({@link WireTypeLength}), which tells the
 * unsigned integers apart:
 * <ul>
 *   <li>{@code uint2} and {@code uint4} (typlen 2 and 4) become {@link ColumnType#INTEGER} ({@code Long});</li>
 *   <li>{@code uint8} (typlen 8) becomes {@link ColumnType#NUMERIC}: its values reach 2<sup>64</sup>-1, beyond
 *       {@code Long.MAX_VALUE}, and a {@code BigDecimal} of scale 0 keeps every one exact, compares exactly with
 *       any integer or decimal literal, and is written to JSON as a plain number;</li>
 *   <li>every other unknown type ({@code list}, {@code map}, …; typlen -1) stays {@link ColumnType#OTHER} text.</li>
 * </ul>
 * Two other Materialize types share those lengths, and nothing on the wire separates them: {@code mz_timestamp}
 * (8 bytes, an unsigned 64-bit millisecond count, so reading it as a numeric is right) and {@code regproc},
 * {@code regclass}, {@code regtype} (4 bytes, text is a name: decoding fails with a {@link SubscribeOutputException}
 * naming the column; cast such a column to text in the view).
 * <p>
 * Numeric {@code NaN}, {@code Infinity} and {@code -Infinity} have no {@code BigDecimal} form: they become the
 * {@code Double} constants {@code NaN}, {@code POSITIVE_INFINITY} and {@code NEGATIVE_INFINITY}, exactly as in float
 * columns, so they keep their value in payloads and conditions. (Over Vert.x 5.0 only NaN can arrive: the client's
 * numeric text decoder cannot parse an infinity. The mapping still covers them for every other value path.)
 */
final class PgValueDecoder {

  /** Materialize's unsigned integer types, by the {@code typlen} the client keeps for an {@code UNKNOWN} column. */
  private static final int UINT2_LENGTH = 2;
  private static final int UINT4_LENGTH = 4;
  private static final int UINT8_LENGTH = 8;

  private PgValueDecoder() {
  }

  /**
   * The logical type of a column whose client type name is {@code typeName} and whose server {@code typlen} is
   * {@code typlen} ({@link WireTypeLength#UNKNOWN} when not known).
   */
  public static ColumnType columnType(String typeName, int typlen) {
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
      case "UNKNOWN":
        return typlen == UINT2_LENGTH || typlen == UINT4_LENGTH ? ColumnType.INTEGER
            : typlen == UINT8_LENGTH ? ColumnType.NUMERIC : ColumnType.OTHER;
      default:
        return ColumnType.OTHER;
    }
  }

  /**
   * The server-style type name for messages: {@code INT4} → {@code int4}, {@code INT4_ARRAY} → {@code int4[]},
   * an unknown type of {@code typlen} 2, 4 or 8 → {@code uint2}, {@code uint4}, {@code uint8}.
   */
  public static String sqlTypeName(String typeName, int typlen) {
    if ("UNKNOWN".equalsIgnoreCase(typeName)
        && (typlen == UINT2_LENGTH || typlen == UINT4_LENGTH || typlen == UINT8_LENGTH)) {
      return "uint" + typlen;
    }
    String name = typeName == null ? "unknown" : typeName.toLowerCase(Locale.ROOT);
    return name.endsWith("_array") ? name.substring(0, name.length() - "_array".length()) + "[]" : name;
  }

  /**
   * Converts a value decoded by the client (or its text form) to the Java type of {@code type}; {@code null} stays
   * {@code null}, a JSON {@code null} becomes {@code null}, and a numeric NaN or infinity becomes the {@code Double}
   * of the same value.
   *
   * @throws RuntimeException (a {@link NumberFormatException}, a {@code DateTimeParseException}…) when the value
   *                          does not fit the type
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
        return toNumeric(value);
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

  /** A {@code BigDecimal}, or a {@code Double} NaN or infinity for the special values. */
  private static Object toNumeric(Object value) {
    if (value instanceof Numeric numeric) {
      return numeric.isNaN() ? Double.NaN : numeric.bigDecimalValue();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal;
    }
    if (value instanceof BigInteger integer) {
      return new BigDecimal(integer);
    }
    if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      return Double.isFinite(number) ? new BigDecimal(value.toString()) : Double.valueOf(number);
    }
    String text = value.toString().trim();
    switch (text.toLowerCase(Locale.ROOT)) {
      case "nan":
        return Double.NaN;
      case "infinity":
        return Double.POSITIVE_INFINITY;
      case "-infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        return new BigDecimal(text);
    }
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
