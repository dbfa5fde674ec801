package io.tycostream.triggers.testkit;

import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of JSON request bodies, as a fuzzer aimed at a JSON API tries them: values replaced by odd ones
 * (huge, negative, fractional and out-of-range numbers, empty, long, control and lone-surrogate strings, wrong types,
 * nesting), keys dropped, added and renamed, values wrapped, and — on the encoded text — bytes inserted, dropped and
 * replaced, a number swapped for one no double holds or for a value nested up to 3,000 deep. Deterministic for a
 * seed.
 */
public final class JsonFuzzer {

  private static final String[] ODD_STRINGS = {"", " ", "\u0000", "\u2603", "\uD800", "\\", "\"", "null", "-1",
      "1E+2147483648", "${jndi:ldap://127.0.0.1/x}", "'; DROP TABLE triggers; --", "../../etc/passwd", "%00",
      "http://127.0.0.1:1/", "https://", "ftp://127.0.0.1/", "whsec_", "whsec_!!!!", "-1s", "0s", "99999999999d",
      "1.5h", "2026-13-45T99:99:99Z", "read", "admin", "superuser", "dead", "live", "debug", "per_key", "_param",
      "row.id / 0", "size(", "double(row.score) * 1e308", "\n\r\t", "<script>alert(1)</script>"};
  private static final String[] ODD_NUMBERS = {"1E+2147483648", "-1E+2147483648", "1e-400", "-0", "0.0000000001",
      "99999999999999999999999999999999", "-9223372036854775809", "1.7976931348623157E309", "4.9E-325"};

  /** Characters inserted into the encoded text: structure, escapes, number parts, NUL and a non-ASCII one. */
  private static final String INSERTED = "{}[]\",:\\0-eE\u0000\u00ff";

  private final Random random;
  private final List<String> keys;

  /**
   * @param seed the seed: the same seed gives the same mutations
   * @param keys the field names and operators the API knows, to add and rename keys with
   */
  public JsonFuzzer(long seed, List<String> keys) {
    this.random = new Random(seed);
    this.keys = List.copyOf(keys);
  }

  /** A random number in {@code [0, bound)} from this fuzzer's stream. */
  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  /** One of {@code choices}. */
  public <T> T pick(List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  /** The encoded text of {@code seed} after one to four structural mutations and, one time in five, textual ones. */
  public String mutate(JsonObject seed) {
    JsonObject body = seed.copy();
    int mutations = 1 + random.nextInt(4);
    for (int i = 0; i < mutations; i++) {
      mutateTree(body);
    }
    String text;
    try {
      text = body.encode();
    } catch (EncodeException | StackOverflowError tooDeepToWrite) {
      // nesting stacked past what the encoder writes: start again from the seed
      return mutate(seed);
    }
    return random.nextInt(5) == 0 ? mutateText(text) : text;
  }

  /** An odd value for a query parameter or a path segment (not URL-encoded). */
  public String oddText() {
    return random.nextBoolean() ? ODD_STRINGS[random.nextInt(ODD_STRINGS.length)]
        : ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)];
  }

  private void mutateTree(JsonObject root) {
    List<Slot> slots = new ArrayList<>();
    collect(root, slots);
    Slot slot = slots.get(random.nextInt(slots.size()));
    switch (random.nextInt(6)) {
      case 0, 1 -> slot.set(oddValue());
      case 2 -> slot.remove();
      case 3 -> {
        JsonObject target = slot.container() instanceof JsonObject object ? object : root;
        target.put(keys.get(random.nextInt(keys.size())), oddValue());
      }
      case 4 -> slot.rename(keys.get(random.nextInt(keys.size())));
      default -> slot.set(random.nextBoolean() ? new JsonArray().add(slot.get())
          : new JsonObject().put(keys.get(random.nextInt(keys.size())), slot.get()));
    }
  }

  private Object oddValue() {
    return switch (random.nextInt(12)) {
      case 0 -> null;
      case 1 -> random.nextBoolean();
      case 2 -> random.nextInt();
      case 3 -> random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
      case 4 -> new BigInteger(200, random).negate();
      case 5 -> random.nextBoolean() ? Double.MAX_VALUE : -random.nextDouble();
      case 6 -> "x".repeat(1 + random.nextInt(20_000));
      case 7 -> new JsonObject();
      case 8 -> new JsonArray().add(oddString()).add(random.nextInt());
      case 9 -> nested(1 + random.nextInt(100));
      case 10 -> new JsonObject().put("_param", oddString());
      default -> oddString();
    };
  }

  private String oddString() {
    return ODD_STRINGS[random.nextInt(ODD_STRINGS.length)];
  }

  private Object nested(int depth) {
    Object value = random.nextInt(100);
    boolean arrays = random.nextBoolean();
    String key = keys.get(random.nextInt(keys.size()));
    for (int i = 0; i < depth; i++) {
      value = arrays ? new JsonArray().add(value) : new JsonObject().put(key, value);
    }
    return value;
  }

  private String mutateText(String text) {
    StringBuilder mutated = new StringBuilder(text);
    int edits = 1 + random.nextInt(3);
    for (int i = 0; i < edits && mutated.length() > 0; i++) {
      int at = random.nextInt(mutated.length());
      switch (random.nextInt(4)) {
        case 0 -> mutated.deleteCharAt(at);
        case 1 -> mutated.insert(at, INSERTED.charAt(random.nextInt(INSERTED.length())));
        case 2 -> mutated.setCharAt(at, (char) random.nextInt(0x80));
        default -> {
          // a number no double holds, or a value nested deeper than any encoder here writes (up to 3,000 levels)
          int depth = 1 + random.nextInt(3_000);
          String value = random.nextBoolean() ? ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)]
              : "[".repeat(depth) + "0" + "]".repeat(depth);
          String replaced = mutated.toString().replaceFirst("(?<=:)-?\\d+(\\.\\d+)?", value);
          mutated.setLength(0);
          mutated.append(replaced);
        }
      }
    }
    return mutated.toString();
  }

  private static void collect(Object node, List<Slot> slots) {
    if (node instanceof JsonObject object) {
      for (String key : List.copyOf(object.fieldNames())) {
        slots.add(new Slot(object, key, -1));
        collect(object.getValue(key), slots);
      }
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        slots.add(new Slot(array, null, i));
        collect(array.getValue(i), slots);
      }
    }
    if (slots.isEmpty() && node instanceof JsonObject object) {
      slots.add(new Slot(object, "name", -1));
    }
  }

  /** A place in the tree: a key of an object or an index of an array. */
  private record Slot(Object container, String key, int index) {

    Object get() {
      return container instanceof JsonObject object ? object.getValue(key) : ((JsonArray) container).getValue(index);
    }

    void set(Object value) {
      if (container instanceof JsonObject object) {
        object.put(key, value);
      } else {
        ((JsonArray) container).set(index, value);
      }
    }

    void remove() {
      if (container instanceof JsonObject object) {
        object.remove(key);
      } else {
        ((JsonArray) container).remove(index);
      }
    }

    void rename(String newKey) {
      if (container instanceof JsonObject object) {
        Object value = object.remove(key);
        object.put(newKey, value);
      }
    }
  }
}
