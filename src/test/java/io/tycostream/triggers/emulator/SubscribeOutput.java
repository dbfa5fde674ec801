package io.tycostream.triggers.emulator;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output schema of one SUBSCRIBE (spec §1.3) and the row builder of §1.5: consolidation, sorting, the upsert
 * envelope and progress rows. Immutable and thread-safe.
 */
final class SubscribeOutput {

  private final boolean progress;
  private final int[] keyIndexes;
  private final int[] valueIndexes;
  private final List<OutputColumn> columns;
  private final int relationWidth;

  private SubscribeOutput(boolean progress, int[] keyIndexes, int[] valueIndexes, List<OutputColumn> columns,
                          int relationWidth) {
    this.progress = progress;
    this.keyIndexes = keyIndexes;
    this.valueIndexes = valueIndexes;
    this.columns = List.copyOf(columns);
    this.relationWidth = relationWidth;
  }

  /** Plans the output for an object; unknown KEY columns fail with 42703 as at DECLARE. */
  static SubscribeOutput plan(EmulatedObject object, SubscribeSpec spec) {
    List<EmulatorColumn> relation = object.columns();
    List<OutputColumn> columns = new ArrayList<>();
    columns.add(new OutputColumn("mz_timestamp", PgType.NUMERIC, OutputColumn.MZ_TIMESTAMP_TYPMOD));
    if (spec.progress()) {
      columns.add(OutputColumn.of("mz_progressed", PgType.BOOL));
    }
    if (!spec.upsert()) {
      columns.add(OutputColumn.of("mz_diff", PgType.INT8));
      for (EmulatorColumn column : relation) {
        columns.add(OutputColumn.of(column.name(), column.type()));
      }
      return new SubscribeOutput(spec.progress(), null, null, columns, relation.size());
    }
    columns.add(OutputColumn.of("mz_state", PgType.TEXT));
    int[] keys = new int[spec.upsertKeys().size()];
    boolean[] isKey = new boolean[relation.size()];
    for (int i = 0; i < keys.length; i++) {
      String key = spec.upsertKeys().get(i);
      int index = object.columnIndex(key);
      if (index < 0) {
        throw new PgException("42703", "column \"" + key + "\" does not exist");
      }
      keys[i] = index;
      isKey[index] = true;
      columns.add(OutputColumn.of(relation.get(index).name(), relation.get(index).type()));
    }
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < relation.size(); i++) {
      if (!isKey[i]) {
        values.add(i);
        columns.add(OutputColumn.of(relation.get(i).name(), relation.get(i).type()));
      }
    }
    int[] valueIndexes = values.stream().mapToInt(Integer::intValue).toArray();
    return new SubscribeOutput(spec.progress(), keys, valueIndexes, columns, relation.size());
  }

  List<OutputColumn> columns() { return columns; }

  boolean upsert() { return keyIndexes != null; }

  Object[] progressRow(long upper) {
    Object[] row = new Object[columns.size()];
    row[0] = BigDecimal.valueOf(upper);
    row[1] = Boolean.TRUE;
    return row;
  }

  /** Turns raw updates (already mapped to their output times) into output rows, as one compute batch. */
  List<Object[]> format(List<TimedUpdate> updates) {
    List<TimedUpdate> consolidated = consolidate(updates);
    if (!upsert()) {
      consolidated.sort(Comparator.comparingLong(TimedUpdate::time)
          .thenComparing(TimedUpdate::row, SubscribeOutput::compareRows)
          .thenComparingLong(TimedUpdate::diff));
      List<Object[]> rows = new ArrayList<>(consolidated.size());
      for (TimedUpdate update : consolidated) {
        rows.add(diffRow(update));
      }
      return rows;
    }
    consolidated.sort(Comparator.comparingLong(TimedUpdate::time)
        .thenComparing(u -> key(u.row()), SubscribeOutput::compareRows)
        .thenComparingLong(TimedUpdate::diff)
        .thenComparing(TimedUpdate::row, SubscribeOutput::compareRows));
    List<Object[]> rows = new ArrayList<>();
    int start = 0;
    while (start < consolidated.size()) {
      int end = start + 1;
      TimedUpdate first = consolidated.get(start);
      while (end < consolidated.size() && consolidated.get(end).time() == first.time()
          && key(consolidated.get(end).row()).equals(key(first.row()))) {
        end++;
      }
      rows.add(upsertRow(consolidated.subList(start, end)));
      start = end;
    }
    return rows;
  }

  private static List<TimedUpdate> consolidate(List<TimedUpdate> updates) {
    Map<List<Object>, Long> sums = new LinkedHashMap<>();
    for (TimedUpdate update : updates) {
      List<Object> key = new ArrayList<>(update.row().size() + 1);
      key.add(update.time());
      key.addAll(update.row());
      sums.merge(key, update.diff(), Long::sum);
    }
    List<TimedUpdate> result = new ArrayList<>();
    for (Map.Entry<List<Object>, Long> entry : sums.entrySet()) {
      if (entry.getValue() != 0) {
        List<Object> key = entry.getKey();
        result.add(new TimedUpdate(key.subList(1, key.size()), (Long) key.get(0), entry.getValue()));
      }
    }
    return result;
  }

  private Object[] diffRow(TimedUpdate update) {
    Object[] row = new Object[columns.size()];
    int i = 0;
    row[i++] = BigDecimal.valueOf(update.time());
    if (progress) {
      row[i++] = Boolean.FALSE;
    }
    row[i++] = update.diff();
    for (Object value : update.row()) {
      row[i++] = value;
    }
    return row;
  }

  private Object[] upsertRow(List<TimedUpdate> group) {
    TimedUpdate first = group.get(0);
    String state;
    List<Object> values = null;
    if (group.size() == 1 && first.diff() == 1) {
      state = "upsert";
      values = first.row();
    } else if (group.size() == 1 && first.diff() == -1) {
      state = "delete";
    } else if (group.size() == 2 && first.diff() == -1 && group.get(1).diff() == 1) {
      state = "upsert";
      values = group.get(1).row();
    } else {
      state = "key_violation";
    }
    Object[] row = new Object[columns.size()];
    int i = 0;
    row[i++] = BigDecimal.valueOf(first.time());
    if (progress) {
      row[i++] = Boolean.FALSE;
    }
    row[i++] = state;
    for (int keyIndex : keyIndexes) {
      row[i++] = first.row().get(keyIndex);
    }
    for (int valueIndex : valueIndexes) {
      row[i++] = values == null ? null : values.get(valueIndex);
    }
    return row;
  }

  private List<Object> key(List<Object> row) {
    Object[] key = new Object[keyIndexes.length];
    for (int i = 0; i < keyIndexes.length; i++) {
      key[i] = row.get(keyIndexes[i]);
    }
    return Arrays.asList(key);
  }

  private static int compareRows(List<Object> a, List<Object> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = ValueCodec.compare(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  int relationWidth() { return relationWidth; }
}
