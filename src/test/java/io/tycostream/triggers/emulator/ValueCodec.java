package io.tycostream.triggers.emulator;

import io.vertx.core.buffer.Buffer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Converts stored Java values to PostgreSQL text and binary wire formats, normalises values given through the control
 * API, and orders values like Materialize's row comparison. Stateless and thread-safe.
 */
final class ValueCodec {

  private static final LocalDateTime PG_EPOCH = LocalDateTime.of(2000, 1, 1, 0, 0);
  private static final LocalDate PG_EPOCH_DATE = LocalDate.of(2000, 1, 1);
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final BigInteger UINT8_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  /** PG numeric binary sign word of NaN (numeric.c {@code NUMERIC_NAN}). */
  private static final int NUMERIC_NAN_SIGN = 0xC000;

  /** The stored form of a numeric NaN (given as {@code Double.NaN}); it sorts above every number, as in Materialize. */
  enum NumericNaN {
    NAN;

    @Override
    public String toString() {
      return "NaN";
    }
  }

  private ValueCodec() {
  }

  /** Checks and canonicalises a value for a column so equal values consolidate. */
  static Object normalize(PgType type, Object value) {
    if (value == null) {
      return null;
    }
    try {
      switch (type) {
        case INT4: return ((Number) value).intValue();
        case INT8: return ((Number) value).longValue();
        case TEXT: return (String) value;
        case JSONB: return (String) value;
        case BOOL: return (Boolean) value;
        case FLOAT8: return ((Number) value).doubleValue();
        case NUMERIC:
          return value instanceof Double d && d.isNaN() || value == NumericNaN.NAN ? NumericNaN.NAN
              : toBigDecimal(value);
        case UINT2: return (int) unsigned(value, 0xFFFFL);
        case UINT4: return unsigned(value, 0xFFFF_FFFFL);
        case UINT8: return unsigned8(value);
        case TIMESTAMP: return (LocalDateTime) value;
        case TIMESTAMPTZ: return ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC);
        case DATE: return (LocalDate) value;
        default: throw new IllegalArgumentException("unknown type " + type);
      }
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("value " + value + " (" + value.getClass().getSimpleName()
          + ") does not fit type " + type, e);
    }
  }

  private static long unsigned(Object value, long max) {
    if (!(value instanceof Integer || value instanceof Long || value instanceof Short)) {
      throw new ClassCastException();
    }
    long number = ((Number) value).longValue();
    if (number < 0 || number > max) {
      throw new IllegalArgumentException("value " + value + " is outside [0, " + max + "]");
    }
    return number;
  }

  private static BigInteger unsigned8(Object value) {
    BigInteger number = value instanceof BigInteger big ? big : BigInteger.valueOf(unsigned(value, Long.MAX_VALUE));
    if (number.signum() < 0 || number.compareTo(UINT8_MAX) > 0) {
      throw new IllegalArgumentException("value " + value + " is outside [0, " + UINT8_MAX + "]");
    }
    return number;
  }

  private static BigDecimal toBigDecimal(Object value) {
    if (value instanceof BigDecimal d) {
      return d;
    }
    if (value instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return BigDecimal.valueOf(((Number) value).longValue());
    }
    if (value instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    throw new ClassCastException();
  }

  /** The text-format representation (PostgreSQL output function, TimeZone UTC, DateStyle ISO). */
  static String text(PgType type, Object value) {
    switch (type) {
      case BOOL: return ((Boolean) value) ? "t" : "f";
      case NUMERIC: return value == NumericNaN.NAN ? "NaN" : ((BigDecimal) value).toPlainString();
      case FLOAT8: return float8Text((Double) value);
      case TIMESTAMP: return dateTimeText((LocalDateTime) value);
      case TIMESTAMPTZ: return dateTimeText(((OffsetDateTime) value).toLocalDateTime()) + "+00";
      case DATE: return value.toString();
      default: return value.toString();
    }
  }

  private static String dateTimeText(LocalDateTime value) {
    String base = DATE_TIME.format(value);
    int micros = value.getNano() / 1000;
    if (micros == 0) {
      return base;
    }
    String fraction = String.format("%06d", micros);
    int end = fraction.length();
    while (fraction.charAt(end - 1) == '0') {
      end--;
    }
    return base + "." + fraction.substring(0, end);
  }

  private static String float8Text(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value).replace("E", "e+").replace("e+-", "e-");
  }

  /** Appends the binary-format value (without the length prefix). */
  static void appendBinary(Buffer out, PgType type, Object value) {
    switch (type) {
      case INT4: out.appendInt((Integer) value); break;
      case INT8: out.appendLong((Long) value); break;
      case BOOL: out.appendByte((byte) (((Boolean) value) ? 1 : 0)); break;
      case FLOAT8: out.appendDouble((Double) value); break;
      case TEXT: out.appendBytes(((String) value).getBytes(StandardCharsets.UTF_8)); break;
      case JSONB:
        out.appendByte((byte) 1);
        out.appendBytes(((String) value).getBytes(StandardCharsets.UTF_8));
        break;
      case NUMERIC:
        if (value == NumericNaN.NAN) {
          out.appendShort((short) 0).appendShort((short) 0).appendShort((short) NUMERIC_NAN_SIGN)
              .appendShort((short) 0);
        } else {
          appendNumeric(out, (BigDecimal) value);
        }
        break;
      case UINT2: out.appendShort((short) (int) (Integer) value); break;
      case UINT4: out.appendInt((int) (long) (Long) value); break;
      case UINT8: out.appendLong(((BigInteger) value).longValue()); break;
      case TIMESTAMP: out.appendLong(ChronoUnit.MICROS.between(PG_EPOCH, (LocalDateTime) value)); break;
      case TIMESTAMPTZ:
        out.appendLong(ChronoUnit.MICROS.between(PG_EPOCH, ((OffsetDateTime) value).toLocalDateTime()));
        break;
      case DATE: out.appendInt((int) ChronoUnit.DAYS.between(PG_EPOCH_DATE, (LocalDate) value)); break;
      default: throw new IllegalStateException("unknown type " + type);
    }
  }

  /**
   * PG numeric binary: ndigits, weight, sign, dscale, then base-10000 groups. Like Materialize, trailing zero groups of
   * the integer part are kept (PostgreSQL strips them); leading zero groups and fractional trailing zeros are dropped.
   */
  static void appendNumeric(Buffer out, BigDecimal value) {
    int dscale = Math.max(value.scale(), 0);
    BigDecimal abs = value.abs().setScale(dscale);
    String plain = abs.toPlainString();
    int dot = plain.indexOf('.');
    String intPart = dot < 0 ? plain : plain.substring(0, dot);
    String fracPart = dot < 0 ? "" : plain.substring(dot + 1);
    if (intPart.equals("0")) {
      intPart = "";
    }
    intPart = "0".repeat((4 - intPart.length() % 4) % 4) + intPart;
    fracPart = fracPart + "0".repeat((4 - fracPart.length() % 4) % 4);
    int intGroups = intPart.length() / 4;
    int[] groups = new int[intGroups + fracPart.length() / 4];
    for (int i = 0; i < intGroups; i++) {
      groups[i] = Integer.parseInt(intPart.substring(i * 4, i * 4 + 4));
    }
    for (int i = 0; i < fracPart.length() / 4; i++) {
      groups[intGroups + i] = Integer.parseInt(fracPart.substring(i * 4, i * 4 + 4));
    }
    int first = 0;
    while (first < groups.length && groups[first] == 0) {
      first++;
    }
    int last = groups.length;
    while (last > Math.max(first, intGroups) && groups[last - 1] == 0) {
      last--;
    }
    int ndigits = Math.max(last - first, 0);
    int weight = ndigits == 0 ? 0 : intGroups - 1 - first;
    out.appendShort((short) ndigits);
    out.appendShort((short) weight);
    out.appendShort((short) (value.signum() < 0 ? 0x4000 : 0x0000));
    out.appendShort((short) dscale);
    for (int i = first; i < first + ndigits; i++) {
      out.appendShort((short) groups[i]);
    }
  }

  /** Orders two values of one column, NULL first, by the type's natural order (Materialize sorts rows datum-wise). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compare(Object a, Object b) {
    if (a == b) {
      return 0;
    }
    if (a == null) {
      return -1;
    }
    if (b == null) {
      return 1;
    }
    if (a == NumericNaN.NAN || b == NumericNaN.NAN) {
      return a == b ? 0 : a == NumericNaN.NAN ? 1 : -1;
    }
    return ((Comparable) a).compareTo(b);
  }
}
