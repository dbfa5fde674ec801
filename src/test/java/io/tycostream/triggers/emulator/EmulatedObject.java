package io.tycostream.triggers.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One emulated relation (table or view): columns, multiset history, write upper, the frontier subscribes observe, and
 * the since. All mutable state is guarded by the owning {@link Catalog}'s lock; the public accessors are snapshots.
 */
public final class EmulatedObject {

  private final String name;
  private final List<EmulatorColumn> columns;
  final List<TimedUpdate> history = new ArrayList<>();
  final List<SubscribeEngine> engines = new ArrayList<>();
  /** Storage write frontier: every write lands at a time >= upper. */
  long upper;
  /** What compute has reported; equals upper unless progress is paused (replica restart). */
  long frontier;
  long since;
  final long created;
  boolean progressPaused;
  boolean dropped;
  String dataflowFailure;

  EmulatedObject(String name, List<EmulatorColumn> columns, long created) {
    this.name = name;
    this.columns = List.copyOf(columns);
    this.created = created;
    this.since = created;
    this.upper = created + 1;
    this.frontier = upper;
  }

  /** The catalog name as given at creation. */
  public String name() { return name; }

  /** The fully qualified name used in Materialize's drop messages. */
  public String qualifiedName() { return "materialize.public." + name; }

  public List<EmulatorColumn> columns() { return columns; }

  int columnIndex(String column) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(column)) {
        return i;
      }
    }
    return -1;
  }

  static String catalogKey(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  long minHold() {
    long hold = Long.MAX_VALUE;
    for (SubscribeEngine engine : engines) {
      hold = Math.min(hold, engine.hold());
    }
    return hold;
  }
}
