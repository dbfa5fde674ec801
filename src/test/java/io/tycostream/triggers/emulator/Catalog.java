package io.tycostream.triggers.emulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The emulator's data model: objects, the logical clock, the error profile and the cluster. Every method is
 * synchronized on the catalog, which is the single lock of the emulator's data plane (control API threads, the ticker
 * and the sessions' event loop all go through it). Subscribe engines are called back under this lock and must only
 * enqueue and schedule, never block; work that takes long (formatting a big snapshot) goes to the {@link #formatter()}
 * and takes the lock again only to publish its result.
 */
final class Catalog {

  private final EmulatorOptions options;
  private final Executor formatter;
  private final LogicalClock clock;
  private final Map<String, EmulatedObject> objects = new LinkedHashMap<>();
  private ErrorProfile profile;
  private boolean clusterDropped;

  Catalog(EmulatorOptions options, Executor formatter) {
    this.options = options;
    this.formatter = formatter;
    long start = options.getStartTime() != null ? options.getStartTime() : System.currentTimeMillis();
    this.clock = new LogicalClock(options.getTickMs() == 0, start);
    this.profile = options.getErrorProfile();
  }

  EmulatorOptions options() { return options; }

  /** Runs the emulator's long computations (big batches) off the lock and off the sessions' event loop. */
  Executor formatter() { return formatter; }

  synchronized long now() { return clock.now(); }

  synchronized void setNow(long now) { clock.set(now); }

  synchronized ErrorProfile profile() { return profile; }

  synchronized void setProfile(ErrorProfile profile) { this.profile = profile; }

  synchronized EmulatedObject create(String name, List<EmulatorColumn> columns) {
    String key = EmulatedObject.catalogKey(name);
    EmulatedObject existing = objects.get(key);
    if (existing != null) {
      throw new IllegalArgumentException("object already exists: " + name);
    }
    EmulatedObject object = new EmulatedObject(name, columns, clock.now());
    objects.put(key, object);
    return object;
  }

  /** Looks up a live object by SQL name (last component of a qualified name), failing like Materialize. */
  synchronized EmulatedObject resolve(String name) {
    EmulatedObject object = objects.get(EmulatedObject.catalogKey(name));
    if (object == null) {
      throw new PgException("42P01", "unknown catalog item '" + name + "'");
    }
    return object;
  }

  private EmulatedObject require(String name) {
    EmulatedObject object = objects.get(EmulatedObject.catalogKey(name));
    if (object == null) {
      throw new IllegalArgumentException("unknown object " + name);
    }
    return object;
  }

  /** Applies diffs at one time (auto = max(upper, now)) and moves the upper to time + 1. */
  synchronized long write(String name, Long time, List<RowDiff> diffs) {
    EmulatedObject object = require(name);
    long t = time != null ? time : Math.max(object.upper, clock.now());
    if (t < object.upper) {
      throw new IllegalArgumentException("write time " + t + " is below the upper " + object.upper + " of " + name);
    }
    List<TimedUpdate> normalized = new ArrayList<>();
    for (RowDiff diff : diffs) {
      normalized.add(new TimedUpdate(normalizeRow(object, diff.row()), t, diff.diff()));
    }
    object.history.addAll(normalized);
    object.upper = t + 1;
    publish(object);
    return t;
  }

  private static List<Object> normalizeRow(EmulatedObject object, Object[] row) {
    List<EmulatorColumn> columns = object.columns();
    if (row.length != columns.size()) {
      throw new IllegalArgumentException("row has " + row.length + " values but " + object.name() + " has "
          + columns.size() + " columns: " + Arrays.toString(row));
    }
    List<Object> values = new ArrayList<>(row.length);
    for (int i = 0; i < row.length; i++) {
      values.add(ValueCodec.normalize(columns.get(i).type(), row[i]));
    }
    return values;
  }

  synchronized void advance(String name, long toTime) {
    EmulatedObject object = require(name);
    object.upper = Math.max(object.upper, toTime);
    publish(object);
  }

  /** Ticker step: every object's upper follows the logical now, like Materialize tables once per second. */
  synchronized void tick() {
    long now = clock.now();
    for (EmulatedObject object : objects.values()) {
      if (now > object.upper) {
        object.upper = now;
        publish(object);
      }
    }
  }

  private void publish(EmulatedObject object) {
    if (object.progressPaused) {
      return;
    }
    object.frontier = object.upper;
    for (SubscribeEngine engine : new ArrayList<>(object.engines)) {
      engine.onFrontier(object.frontier);
    }
  }

  synchronized long upper(String name) { return require(name).upper; }

  /** The read frontier: trails the upper by the retention, held back by live subscribes, never decreasing. */
  synchronized long since(String name) { return sinceOf(require(name)); }

  synchronized long sinceOf(EmulatedObject object) {
    long candidate = Math.max(object.created, object.upper - options.getRetentionMs());
    candidate = Math.min(candidate, object.minHold());
    object.since = Math.max(object.since, candidate);
    return object.since;
  }

  synchronized void compact(String name, long since) {
    EmulatedObject object = require(name);
    object.since = Math.max(object.since, since);
  }

  synchronized void drop(String name) {
    EmulatedObject object = require(name);
    objects.remove(EmulatedObject.catalogKey(name));
    object.dropped = true;
    PgException error = droppedError("relation", object.qualifiedName());
    for (SubscribeEngine engine : new ArrayList<>(object.engines)) {
      engine.fail(error);
    }
  }

  synchronized PgException droppedError(String kind, String quotedName) {
    if (profile == ErrorProfile.LEGACY) {
      return new PgException("XX000", "subscribe has been terminated because underlying " + kind + " \""
          + quotedName + "\" was dropped");
    }
    return new PgException("42704", "query could not complete because " + kind + " \"" + quotedName
        + "\" was dropped");
  }

  /** Drops the session cluster: running subscribes fail; new ones fail at first FETCH until recreated. */
  synchronized void dropCluster() {
    clusterDropped = true;
    PgException error = droppedError("cluster", options.getCluster());
    for (EmulatedObject object : objects.values()) {
      for (SubscribeEngine engine : new ArrayList<>(object.engines)) {
        engine.fail(error);
      }
    }
  }

  synchronized void recreateCluster() { clusterDropped = false; }

  synchronized boolean clusterDropped() { return clusterDropped; }

  synchronized void pauseProgress(String name) { require(name).progressPaused = true; }

  synchronized void resumeProgress(String name) {
    EmulatedObject object = require(name);
    object.progressPaused = false;
    publish(object);
  }

  synchronized void failDataflow(String name, String message) {
    EmulatedObject object = require(name);
    object.dataflowFailure = message;
    for (SubscribeEngine engine : new ArrayList<>(object.engines)) {
      engine.fail(new PgException("XX000", message));
    }
  }

  synchronized void clearDataflowFailure(String name) { require(name).dataflowFailure = null; }

  /** FETCH statements with a count above zero executed on any cursor (keep-alive {@code FETCH 0} not counted). */
  final java.util.concurrent.atomic.AtomicLong dataFetches = new java.util.concurrent.atomic.AtomicLong();

  synchronized int activeSubscribes() {
    int count = 0;
    for (EmulatedObject object : objects.values()) {
      count += object.engines.size();
    }
    return count;
  }
}
