package io.tycostream.triggers.trigger;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The canonical JSON text of a key: part of every {@link EventId} and the identity of a key in the matched-key
 * state. <b>This is a public contract</b>: receivers deduplicate on event ids, so the form never changes.
 * <p>
 * A JSON array of the key values in key order, with no whitespace:
 * <ul>
 *   <li>strings in double quotes; {@code "} and {@code \} escaped with a backslash, {@code \b \f \n \r \t} in
 *       their short forms, other characters below U+0020 as {@code \}{@code u00XX} (lowercase hex); every other
 *       character (including {@code /} and non-ASCII) as is (the same as JavaScript's {@code JSON.stringify});</li>
 *   <li>integers ({@code Long}, {@code Integer}, {@code BigInteger}…) in plain decimal;</li>
 *   <li>{@code BigDecimal} as {@code stripTrailingZeros().toPlainString()}, zero as {@code 0}, so {@code 1.50} and
 *       {@code 1.5} are one key; doubles the same way through {@code BigDecimal.valueOf(d)} ({@code 2.0} gives
 *       {@code 2}); NaN and infinities as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"};</li>
 *   <li>{@code true}, {@code false}, {@code null};</li>
 *   <li>dates as {@code "yyyy-MM-dd"}, timestamps as {@code "yyyy-MM-ddTHH:mm:ss[.fraction]"} and timestamptz
 *       converted to UTC as {@code "yyyy-MM-ddTHH:mm:ss[.fraction]Z"}, the fraction without trailing zeros;</li>
 *   <li>anything else as the JSON string of its {@code toString()}.</li>
 * </ul>
 * Example: {@code ["A-7",42,1.5]}. Pure and thread-safe.
 */
public final class CanonicalKey {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CanonicalKey() {
  }

  /** The canonical JSON of {@code key}. */
  public static String json(List<Object> key) {
    StringBuilder out = new StringBuilder(16 * key.size() + 2);
    out.append('[');
    for (int i = 0; i < key.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      appendValue(out, key.get(i));
    }
    return out.append(']').toString();
  }

  private static void appendValue(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String text) {
      appendString(out, text);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short
      || value instanceof Byte || value instanceof BigInteger || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof BigDecimal number) {
      out.append(plain(number));
    } else if (value instanceof Double || value instanceof Float) {
      appendFloating(out, ((Number) value).doubleValue(), value);
    } else if (value instanceof OffsetDateTime time) {
      appendString(out, DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time.withOffsetSameInstant(ZoneOffset.UTC)));
    } else if (value instanceof LocalDateTime time) {
      appendString(out, DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(time));
    } else if (value instanceof LocalDate date) {
      appendString(out, DateTimeFormatter.ISO_LOCAL_DATE.format(date));
    } else if (value instanceof JsonObject || value instanceof JsonArray) {
      appendString(out, value.toString());
    } else {
      appendString(out, value.toString());
    }
  }

  private static void appendFloating(StringBuilder out, double number, Object boxed) {
    if (Double.isNaN(number)) {
      out.append("\"NaN\"");
    } else if (Double.isInfinite(number)) {
      out.append(number > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    } else {
      // a Float keeps its own shortest decimal (0.1f is 0.1, not 0.10000000149011612)
      BigDecimal exact = boxed instanceof Float ? new BigDecimal(boxed.toString()) : BigDecimal.valueOf(number);
      out.append(plain(exact));
    }
  }

  private static String plain(BigDecimal number) {
    return number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString();
  }

  private static void appendString(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
