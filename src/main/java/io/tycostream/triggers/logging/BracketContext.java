package io.tycostream.triggers.logging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the context our log lines end with, {@code "delivery attempt failed [trigger: x, endpoint: y, status: 503]"},
 * as fields: {@code trigger=x, endpoint=y, status=503}. Keys are lower-cased with blanks as underscores
 * ({@code previous secret valid until} becomes {@code previous_secret_valid_until}); values are kept as text, and a
 * value that itself holds brackets or {@code ", "} ({@code sources: [a, b]}) stays whole. A message without such a
 * suffix has no fields. Pure and thread-safe.
 */
public final class BracketContext {

  private static final Pattern ITEM = Pattern.compile("([A-Za-z][A-Za-z0-9_ .-]{0,62}): (.*)", Pattern.DOTALL);

  private BracketContext() {
  }

  /** The fields of {@code message}'s trailing {@code [key: value, ...]}, in order; empty when it has none. */
  public static Map<String, String> fields(String message) {
    if (message == null || !message.endsWith("]")) {
      return Map.of();
    }
    int open = openingBracket(message);
    if (open <= 0) {
      return Map.of();
    }
    Map<String, String> fields = new LinkedHashMap<>();
    String key = null;
    StringBuilder value = new StringBuilder();
    for (String piece : topLevelItems(message.substring(open + 1, message.length() - 1))) {
      Matcher item = ITEM.matcher(piece);
      if (item.matches()) {
        if (key != null) {
          fields.put(key, value.toString());
        }
        key = item.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[ .-]+", "_");
        value.setLength(0);
        value.append(item.group(2));
      } else if (key != null) {
        // a value with ", " in it (a free text cause): glue it back together
        value.append(", ").append(piece);
      } else {
        return Map.of();
      }
    }
    if (key != null) {
      fields.put(key, value.toString());
    }
    return fields;
  }

  /** The index of the {@code [} matching the message's last character, or -1. */
  private static int openingBracket(String message) {
    int depth = 0;
    for (int i = message.length() - 1; i >= 0; i--) {
      char c = message.charAt(i);
      if (c == ']') {
        depth++;
      } else if (c == '[') {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }

  /** {@code inner} split at the {@code ", "} that are outside any bracket, brace or parenthesis. */
  private static List<String> topLevelItems(String inner) {
    List<String> items = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < inner.length(); i++) {
      char c = inner.charAt(i);
      if (c == '[' || c == '{' || c == '(') {
        depth++;
      } else if ((c == ']' || c == '}' || c == ')') && depth > 0) {
        depth--;
      } else if (c == ',' && depth == 0 && i + 1 < inner.length() && inner.charAt(i + 1) == ' ') {
        items.add(inner.substring(start, i));
        start = i + 2;
        i++;
      }
    }
    items.add(inner.substring(start));
    return items;
  }
}
