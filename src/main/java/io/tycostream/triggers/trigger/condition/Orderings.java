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

  /** An exact ordering for a {@code numeric} column (values are {@code BigDecimal}); scale is ignored (1.50 = 1.5). */
  static ValueOrdering decimal(BigDecimal literal) {
    return value -> {
      if (value instanceof BigDecimal number) {
        return number.compareTo(literal);
      }
      BigDecimal number = exactDecimal(value);
      return number == null ? ValueOrdering.INCOMPARABLE : number.compareTo(literal);
    };
  }

  /**
   * A PostgreSQL-style ordering for a {@code float} column (values are {@code Double}): the literal is converted to
   * the nearest double as the server casts it, {@code -0.0 = 0.0}, and NaN equals NaN and sorts above every number.
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
