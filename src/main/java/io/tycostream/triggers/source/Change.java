package io.tycostream.triggers.source;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One keyed change of a source: the row now stored under {@code key}, or its deletion.
 * <p>
 * Values are typed as {@link ColumnType} documents; a row map keeps relation column order and includes the key
 * columns. Lists and maps are unmodifiable; a value may be {@code null} (SQL NULL).
 *
 * @param key       the key column values, in key order
 * @param row       the full row after the change, or {@code null} when the key was deleted
 * @param timestamp the source timestamp of the change ({@code mz_timestamp})
 */
public record Change(List<Object> key, Map<String, Object> row, BigInteger timestamp) {

  public Change {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(timestamp, "timestamp");
    key = Collections.unmodifiableList(new java.util.ArrayList<>(key));
    row = row == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(row));
  }

  /** A change that stores {@code row} under {@code key}. */
  public static Change upsert(List<Object> key, Map<String, Object> row, BigInteger timestamp) {
    return new Change(key, Objects.requireNonNull(row, "row"), timestamp);
  }

  /** A change that deletes {@code key}. */
  public static Change delete(List<Object> key, BigInteger timestamp) {
    return new Change(key, null, timestamp);
  }

  public boolean deleted() {
    return row == null;
  }
}
