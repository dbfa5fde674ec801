package io.tycostream.triggers.trigger.condition;

import io.tycostream.triggers.source.SourceColumn;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Converts JSON literals of a condition to the Java values of a column's type, once at compile time, with messages
 * that say what was expected and what was given.
 * <p>
 * Special numbers: JSON has no NaN or infinity, so for {@code numeric} and {@code float} columns (which can hold
 * them) a literal may name them as a string, {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"}: the spellings
 * payloads use, read case-insensitively with PostgreSQL's other spellings ({@code "+Infinity"}, {@code "inf"},
 * {@code "+inf"}, {@code "-inf"}). {@code {"price": {"_neq": "NaN"}}} excludes NaN rows, and
 * {@code {"price": {"_gt": 5}}} holds for {@code Infinity} and {@code NaN} (both sort above every number, as in
 * PostgreSQL). Any other string, and any string for an integer column, is refused.
 */
final class Literals {

  /** A numeric offset without colon at the end ({@code +0530}), which java.time does not accept. */
  private static final Pattern COMPACT_OFFSET = Pattern.compile("([+-]\\d{2})(\\d{2})$");
  private static final int MAX_SHOWN_TEXT = 60;
  /** PostgreSQL's input spellings of the special float and numeric values, lower-cased. */
  private static final Map<String, Double> SPECIAL_NUMBERS = Map.of(
    "nan", Double.NaN,
    "infinity", Double.POSITIVE_INFINITY, "+infinity", Double.POSITIVE_INFINITY,
    "inf", Double.POSITIVE_INFINITY, "+inf", Double.POSITIVE_INFINITY,
    "-infinity", Double.NEGATIVE_INFINITY, "-inf", Double.NEGATIVE_INFINITY);

  private Literals() {
  }

  /** The exact decimal value of a JSON number; 0.1 stays 0.1 because the number's decimal text is used. */
  static BigDecimal number(Object literal, SourceColumn column, String path) {
    BigDecimal number = literal instanceof Number ? Orderings.exactDecimal(literal) : null;
    if (number == null) {
      throw new ConditionException(path, "expected a number for " + column.type().displayName() + " column '"
        + column.name() + "', got " + describe(literal));
    }
    return number;
  }

  /**
   * A literal for a {@code numeric} or {@code float} column: the exact {@code BigDecimal} of a JSON number, or the
   * {@code Double} NaN or infinity a special-value string names.
   */
  static Number numeric(Object literal, SourceColumn column, String path) {
    if (literal instanceof String text) {
      Double special = SPECIAL_NUMBERS.get(text.trim().toLowerCase(Locale.ROOT));
      if (special != null) {
        return special;
      }
    } else if ((literal instanceof Double || literal instanceof Float)
      && !Double.isFinite(((Number) literal).doubleValue())) {
      return ((Number) literal).doubleValue();
    } else if (literal instanceof Number) {
      return number(literal, column, path);
    }
    throw new ConditionException(path, "expected a number for " + column.type().displayName() + " column '"
      + column.name() + "', got " + describe(literal) + " (NaN and infinities are written \"NaN\", \"Infinity\", "
      + "\"-Infinity\")");
  }

  static String text(Object literal, SourceColumn column, String path) {
    if (literal instanceof String text) {
      return text;
    }
    throw new ConditionException(path, "expected a string for " + column.type().displayName() + " column '"
      + column.name() + "', got " + describe(literal));
  }

  static boolean bool(Object literal, SourceColumn column, String path) {
    if (literal instanceof Boolean flag) {
      return flag;
    }
    throw new ConditionException(path, "expected true or false for boolean column '" + column.name() + "', got "
      + describe(literal));
  }

  static LocalDate date(Object literal, SourceColumn column, String path) {
    String text = temporalText(literal, column, path, "\"2026-01-15\"");
    try {
      return LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE);
    } catch (DateTimeParseException e) {
      throw temporalError(literal, column, path, "an ISO-8601 date like \"2026-01-15\"");
    }
  }

  /** A timestamp without offset; a date alone means midnight; a space may replace the {@code T}. */
  static LocalDateTime timestamp(Object literal, SourceColumn column, String path) {
    String text = temporalText(literal, column, path, "\"2026-01-15T10:30:45\"");
    try {
      if (text.length() == 10) {
        return LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay();
      }
      return LocalDateTime.parse(withT(text), DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    } catch (DateTimeParseException e) {
      throw temporalError(literal, column, path,
        "an ISO-8601 timestamp without offset like \"2026-01-15T10:30:45\"");
    }
  }

  /**
   * A timestamp with an offset: {@code Z}, {@code +HH}, {@code +HHMM} or {@code +HH:MM}; a space may replace the
   * {@code T} ({@code 2026-01-15 10:30:45+00}, as the server prints it).
   */
  static OffsetDateTime timestampTz(Object literal, SourceColumn column, String path) {
    String text = temporalText(literal, column, path, "\"2026-01-15T10:30:45Z\"");
    try {
      String normalised = COMPACT_OFFSET.matcher(withT(text)).replaceFirst("$1:$2");
      return OffsetDateTime.parse(normalised, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      throw temporalError(literal, column, path,
        "an ISO-8601 timestamp with an offset or Z like \"2026-01-15T10:30:45Z\"");
    }
  }

  /** How a JSON value is shown in messages: {@code string "abc"}, {@code number 5}, {@code object}. */
  static String describe(Object literal) {
    if (literal == null) {
      return "null";
    }
    if (literal instanceof String text) {
      String shown = text.length() > MAX_SHOWN_TEXT ? text.substring(0, MAX_SHOWN_TEXT) + "…" : text;
      return "string \"" + shown + "\"";
    }
    if (literal instanceof Number) {
      return "number " + literal;
    }
    if (literal instanceof Boolean) {
      return "boolean " + literal;
    }
    if (literal instanceof JsonObject) {
      return "an object";
    }
    if (literal instanceof JsonArray) {
      return "an array";
    }
    return literal.getClass().getSimpleName();
  }

  private static String temporalText(Object literal, SourceColumn column, String path, String example) {
    if (literal instanceof String text) {
      return text.trim();
    }
    throw new ConditionException(path, "expected a string like " + example + " for " + column.type().displayName()
      + " column '" + column.name() + "', got " + describe(literal));
  }

  private static String withT(String text) {
    return text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11) : text;
  }

  private static ConditionException temporalError(Object literal, SourceColumn column, String path, String what) {
    return new ConditionException(path, "expected " + what + " for " + column.type().displayName() + " column '"
      + column.name() + "', got " + describe(literal));
  }
}
