package io.tycostream.triggers.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies {@code TYCOSTREAM_<PATH>} environment variables to the parsed YAML tree before binding.
 * <p>
 * Path segments are separated by {@code __} and lower-cased; a numeric segment indexes a list (the next free index
 * appends an entry, so a whole source can come from the environment). Values stay text: Jackson converts them like
 * YAML scalars when binding, and a list of names given as text is split on commas ({@link TextListDeserializer}).
 */
final class EnvOverrides {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private EnvOverrides() {
  }

  /**
   * Overrides fields of {@code root} in place.
   *
   * @return the overridden field paths (as in error messages) mapped to the variable that set each
   */
  static Map<String, String> apply(ObjectNode root, Map<String, String> env) {
    Map<String, String> overridden = new LinkedHashMap<>();
    // applied in path order, indexes numerically, so SOURCES__2__… appends before SOURCES__10__…
    Map<List<String>, String> ordered = new TreeMap<>(EnvOverrides::comparePaths);
    for (String name : env.keySet()) {
      if (name.startsWith(ConfigLoader.ENV_PREFIX) && name.length() > ConfigLoader.ENV_PREFIX.length()) {
        ordered.put(segments(name), name);
      }
    }
    ordered.forEach((segments, name) -> {
      set(root, segments, env.get(name), name);
      overridden.put(path(segments), name);
    });
    return overridden;
  }

  private static int comparePaths(List<String> left, List<String> right) {
    for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
      String a = left.get(i);
      String b = right.get(i);
      int order = isIndex(a) && isIndex(b) ? Integer.compare(Integer.parseInt(a), Integer.parseInt(b))
          : a.compareTo(b);
      if (order != 0) {
        return order;
      }
    }
    return Integer.compare(left.size(), right.size());
  }

  private static List<String> segments(String name) {
    String rest = name.substring(ConfigLoader.ENV_PREFIX.length());
    List<String> segments = new ArrayList<>();
    for (String segment : rest.split("__", -1)) {
      if (segment.isEmpty()) {
        throw new ConfigException(name, "empty path segment (use __ between field names)");
      }
      segments.add(segment.toLowerCase(Locale.ROOT));
    }
    return segments;
  }

  private static void set(ObjectNode root, List<String> segments, String value, String envName) {
    JsonNode current = root;
    for (int i = 0; i < segments.size(); i++) {
      boolean last = i == segments.size() - 1;
      // a list field set as a whole stays text: the binder splits it on commas
      JsonNode node = last ? TextNode.valueOf(value)
          : isIndex(segments.get(i + 1)) ? NODES.arrayNode() : NODES.objectNode();
      current = place(current, segments.get(i), node, last, envName, path(segments.subList(0, i)));
    }
  }

  /**
   * Puts {@code node} at {@code segment} of {@code parent} (the list index equal to its size appends), replacing what
   * is there when {@code replace}, else keeping an existing entry; returns the entry now there.
   */
  private static JsonNode place(JsonNode parent, String segment, JsonNode node, boolean replace, String envName,
                                String at) {
    if (parent instanceof ObjectNode object) {
      JsonNode existing = object.get(segment);
      if (replace || existing == null || existing.isNull()) {
        object.set(segment, node);
        return node;
      }
      return existing;
    }
    if (parent instanceof ArrayNode array && isIndex(segment)) {
      int index = Integer.parseInt(segment);
      if (index > array.size()) {
        throw new ConfigException(envName, "index " + index + " is out of range (" + at + " has " + array.size()
            + " entries; the next index appends one)");
      }
      if (index == array.size()) {
        array.add(node);
        return node;
      }
      if (replace) {
        array.set(index, node);
      }
      return array.get(index);
    }
    throw new ConfigException(envName, "'" + at + "' is not a " + (isIndex(segment) ? "list" : "mapping"));
  }

  private static boolean isIndex(String segment) {
    return !segment.isEmpty() && segment.length() < 6 && segment.chars().allMatch(Character::isDigit);
  }

  /** The path as error messages spell it: {@code sources[0].materialize.host}. */
  static String path(List<String> segments) {
    StringBuilder path = new StringBuilder();
    for (String segment : segments) {
      if (isIndex(segment)) {
        path.append('[').append(segment).append(']');
      } else {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(segment);
      }
    }
    return path.toString();
  }
}
