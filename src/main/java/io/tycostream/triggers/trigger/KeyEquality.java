package io.tycostream.triggers.trigger;

import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.trigger.condition.RequiredEquality;

import java.util.List;
import java.util.Optional;

/**
 * A key column a trigger's {@code fire} condition requires to equal one value ({@code {"id": {"_eq": 7}, …}}): only
 * rows whose key holds that value can fire, so — as long as every matched key holds it too — no other change can
 * matter to the trigger, and {@link LiveEvaluation} looks such triggers up by the change's key instead of testing
 * them all.
 *
 * @param position the column's position in the source key
 * @param value    the value it must have ({@code Long} or {@code String}, as source keys hold them)
 */
record KeyEquality(int position, Object value) {

  /** The first key column (in key order) {@code fire} requires to equal a value, if any. */
  static Optional<KeyEquality> of(Object fire, SourceSchema schema) {
    List<String> keyColumns = schema.keyColumns();
    for (int position = 0; position < keyColumns.size(); position++) {
      int at = position;
      Optional<KeyEquality> found = schema.column(keyColumns.get(position))
          .flatMap(column -> RequiredEquality.of(fire, column))
          .map(value -> new KeyEquality(at, value));
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** Whether {@code key} (a source key, in key-column order) holds the value. */
  boolean holdsFor(List<Object> key) {
    return value.equals(key.get(position));
  }
}
