package io.tycostream.triggers.trigger.condition;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/**
 * The {@link ValueOrdering}s per column type, each holding its literal in the form that compares fastest against
 * the row values {@link io.tycostream.triggers.source.ColumnType} documents. A row value of an unexpected class
 * compares as {@link ValueOrdering#INCOMPARABLE} (UNKNOWN) rather than failing the batch.
 */
final class Orderings {

  /** Ranks of a number in PostgreSQL's numeric and float order; equal ranks other than FINITE are equal values. */
  private static final int NEGATIVE_INFINITY = -1;
  private static final int FINITE = 0;
  private static final int POSITIVE_INFINITY = 1;
  private static final int NAN = 2;
  private static final int NOT_A_NUMBER = Integer.MIN_VALUE;

  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private Orderings() {
  }

  /**
   * An exact ordering for an {@code integer} column (values are {@code Long}): a primitive {@code long} comparison
   * when the literal is integral and fits a long, otherwise an exact decimal comparison.
   */
  static ValueOrdering integer(BigDecimal literal) {
    if (isIntegral(literal) && literal.compareTo(LONG_MIN) >= 0 && literal.compareTo(LONG_MAX) <= 0) {
      long bound = literal.longValueExact();
      ValueOrdering exact = decimal(literal);
      return value -> value instanceof Long number ? Long.compare(number, bound) : exact.compare(value);
    }
    return decimal(literal);
  }

  /**
   * An exact ordering for a {@code numeric} column, whose values are {@code BigDecimal}s or, for the special values,
   * the {@code Double} constants NaN and ±Infinity. Finite values compare exactly and scale is ignored (1.50 = 1.5);
   * the special values order as PostgreSQL orders numeric: {@code -Infinity} &lt; every finite value &lt;
   * {@code Infinity} &lt; {@code NaN}, and {@code NaN} equals {@code NaN}.
   *
   * @param literal a {@code BigDecimal}, or a {@code Double} NaN or infinity (see {@link Literals#numeric})
   */
  static ValueOrdering decimal(Number literal) {
    if (literal instanceof BigDecimal finite) {
      return value -> value instanceof BigDecimal number ? number.compareTo(finite) : compareNumbers(value, finite);
    }
    return value -> compareNumbers(value, literal);
  }

  /**
   * PostgreSQL's numeric order between a row value and a literal, each finite or a {@code Double} special value;
   * {@link ValueOrdering#INCOMPARABLE} when the value is not a number.
   */
  static int compareNumbers(Object value, Number literal) {
    int valueRank = rank(value);
    if (valueRank == NOT_A_NUMBER) {
      return ValueOrdering.INCOMPARABLE;
    }
    int literalRank = rank(literal);
    if (valueRank != literalRank) {
      return Integer.compare(valueRank, literalRank);
    }
    return valueRank == FINITE ? exactDecimal(value).compareTo(exactDecimal(literal)) : 0;
  }

  /**
   * A PostgreSQL-style ordering for a {@code float} column (values are {@code Double}): the literal is converted to
   * the nearest double as the server casts it, {@code -0.0 = 0.0}, {@code -Infinity} &lt; every finite value &lt;
   * {@code Infinity} &lt; {@code NaN}, and NaN equals NaN (the same order as {@link #decimal}).
   */
  static ValueOrdering floating(double literal) {
    return value -> value instanceof Number number ? compareFloats(number.doubleValue(), literal)
      : ValueOrdering.INCOMPARABLE;
  }

  /** Code-point order of UTF-16 units ({@link String#compareTo}), not a locale collation. */
  static ValueOrdering text(String literal) {
    return value -> value instanceof String text ? text.compareTo(literal) : ValueOrdering.INCOMPARABLE;
  }

  /** Equality only: 0 when equal, 1 otherwise. */
  static ValueOrdering bool(boolean literal) {
    return value -> value instanceof Boolean flag ? (flag == literal ? 0 : 1) : ValueOrdering.INCOMPARABLE;
  }

  /** Calendar order for {@code date} values. */
  static ValueOrdering date(LocalDate literal) {
    return value -> value instanceof LocalDate date ? date.compareTo(literal) : ValueOrdering.INCOMPARABLE;
  }

  /** Time-line order for {@code timestamp} (without time zone) values. */
  static ValueOrdering timestamp(LocalDateTime literal) {
    return value -> value instanceof LocalDateTime time ? time.compareTo(literal) : ValueOrdering.INCOMPARABLE;
  }

  /** Instant order for {@code timestamptz} values: equal instants are equal whatever their offsets. */
  static ValueOrdering instant(OffsetDateTime literal) {
    long seconds = literal.toEpochSecond();
    int nanos = literal.getNano();
    return value -> {
      if (value instanceof OffsetDateTime time) {
        int order = Long.compare(time.toEpochSecond(), seconds);
        return order != 0 ? order : Integer.compare(time.getNano(), nanos);
      }
      return ValueOrdering.INCOMPARABLE;
    };
  }

  static int compareFloats(double left, double right) {
    if (left < right) {
      return -1;
    }
    if (left > right) {
      return 1;
    }
    if (left == right) {
      return 0;
    }
    boolean leftNaN = Double.isNaN(left);
    boolean rightNaN = Double.isNaN(right);
    return leftNaN && rightNaN ? 0 : leftNaN ? 1 : -1;
  }

  private static int rank(Object value) {
    if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      return Double.isNaN(number) ? NAN : number == Double.POSITIVE_INFINITY ? POSITIVE_INFINITY
        : number == Double.NEGATIVE_INFINITY ? NEGATIVE_INFINITY : FINITE;
    }
    return exactDecimal(value) == null ? NOT_A_NUMBER : FINITE;
  }

  static boolean isIntegral(BigDecimal number) {
    return number.signum() == 0 || number.stripTrailingZeros().scale() <= 0;
  }

  /** The exact decimal value of a JSON or row number, or {@code null} for non-numbers and NaN/infinities. */
  static BigDecimal exactDecimal(Object value) {
    if (value instanceof BigDecimal number) {
      return number;
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return BigDecimal.valueOf(((Number) value).longValue());
    }
    if (value instanceof BigInteger number) {
      return new BigDecimal(number);
    }
    if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      // toString keeps the decimal the user wrote (0.1 stays 0.1, not 0.1000000000000000055…)
      return Double.isFinite(number) ? new BigDecimal(value.toString()) : null;
    }
    return null;
  }
}
