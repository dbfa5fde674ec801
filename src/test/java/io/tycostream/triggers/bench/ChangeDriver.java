package io.tycostream.triggers.bench;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.emulator.RowDiff;
import io.tycostream.triggers.trigger.EventId;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Writes the benchmark's changes into the emulator's view {@value #VIEW} ({@code id int8, value int8, note text}),
 * paced at a fixed rate or as fast as a closed loop allows, and predicts the event each change causes so its delivery
 * can be matched to its write.
 * <p>
 * Keys are distinct within one commit as long as a commit holds at most {@code keys} changes.
 * <p>
 * Every key alternates between {@value #LOW} and {@value #HIGH}: the benchmark's triggers fire above 100 and clear
 * at or below it, so every change is one FIRE or one CLEAR per trigger that {@link KeyTriggers} names for its key.
 * Each emulator commit has its own Materialize timestamp, so the event id (trigger, key, timestamp) names exactly one
 * change.
 * <p>
 * Not thread-safe: one benchmark thread drives it; it blocks (parks) between writes and must never run on an event
 * loop.
 */
final class ChangeDriver {

  static final String VIEW = "bench_positions";
  static final long LOW = 50;
  static final long HIGH = 150;
  /** How long a closed loop parks while the pipeline is behind. */
  private static final long HOLD_BACK_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
  /** Attempts at the next millisecond when the ticker moved the view's upper under a write. */
  private static final int MAX_COMMIT_ATTEMPTS = 100;

  /**
   * How a run offers its changes: {@code changesPerCommit} per Materialize timestamp, at {@code changesPerSecond}
   * (0: as fast as {@code holdBack} allows), until {@code maxChanges} were written or {@code maxDuration} passed.
   *
   * @param holdBack checked before each commit; while it answers true the driver waits (a closed loop)
   */
  record Load(int changesPerCommit, int changesPerSecond, int maxChanges, Duration maxDuration,
              BooleanSupplier holdBack) {

    /** {@code changes} at {@code changesPerSecond} (0: unpaced), open loop. */
    static Load counted(int changes, int changesPerSecond, int changesPerCommit) {
      return new Load(changesPerCommit, changesPerSecond, changes, Duration.ofDays(1), () -> false);
    }

    /** {@code changesPerSecond} for {@code duration}, open loop: a rate above capacity builds a backlog. */
    static Load paced(int changesPerSecond, int changesPerCommit, Duration duration) {
      return new Load(changesPerCommit, changesPerSecond, Integer.MAX_VALUE, duration, () -> false);
    }

    /** As fast as possible for {@code duration}, waiting while {@code holdBack} says the pipeline is far enough behind. */
    static Load saturating(int changesPerCommit, Duration duration, BooleanSupplier holdBack) {
      return new Load(changesPerCommit, 0, Integer.MAX_VALUE, duration, holdBack);
    }
  }

  /**
   * What a run wrote.
   *
   * @param expected         for every event the changes cause, its event id and the {@link System#nanoTime()} just
   *                         before the commit that causes it
   * @param startNanos       when writing began
   * @param endNanos         when the last commit returned
   * @param commitTimestamps the Materialize timestamp of every commit, increasing
   */
  record Driven(Map<String, Long> expected, int changes, int commits, long startNanos, long endNanos,
                long[] commitTimestamps) {

    /** The Materialize timestamp of the last commit, -1 if none. */
    long lastTimestamp() {
      return commitTimestamps.length == 0 ? -1 : commitTimestamps[commitTimestamps.length - 1];
    }

    /** How many commits have a timestamp in {@code [from, to)} (the timestamps increase). */
    int commitsBetween(long from, long to) {
      return Math.max(0, insertionPoint(to) - insertionPoint(from));
    }

    private int insertionPoint(long timestamp) {
      int found = Arrays.binarySearch(commitTimestamps, timestamp);
      return found >= 0 ? found : -found - 1;
    }

    double changesPerSecond() {
      return changes * 1e9 / Math.max(1, endNanos - startNanos);
    }

    /** The expected events whose commit was written at least {@code skip} after the start. */
    Map<String, Long> writtenAfter(Duration skip) {
      long cutoff = startNanos + skip.toNanos();
      Map<String, Long> kept = new HashMap<>(expected.size() * 2);
      expected.forEach((id, written) -> {
        if (written >= cutoff) {
          kept.put(id, written);
        }
      });
      return kept;
    }
  }

  private final MaterializeEmulator emulator;
  private final int keys;
  private final KeyTriggers keyTriggers;
  private final String note;
  private final long[] values;
  private long written;
  private long eventsExpected;

  /**
   * @param noteLength length of the constant text column, which sizes the webhook body like a real row
   */
  ChangeDriver(MaterializeEmulator emulator, int keys, KeyTriggers keyTriggers, int noteLength) {
    this.emulator = emulator;
    this.keys = keys;
    this.keyTriggers = keyTriggers;
    this.note = "n".repeat(noteLength);
    this.values = new long[keys];
  }

  /** Every trigger of {@code triggerNames} reacts to every key. */
  ChangeDriver(MaterializeEmulator emulator, int keys, List<String> triggerNames, int noteLength) {
    this(emulator, keys, KeyTriggers.all(triggerNames), noteLength);
  }

  /** Creates the view with every key at {@link #LOW} (not matching), before the service subscribes. */
  void createView() {
    createEmptyView();
    populate();
  }

  /** Creates the view without rows; {@link #populate()} must run before the first {@link #drive}. */
  void createEmptyView() {
    emulator.createView(VIEW, EmulatorColumn.of("id", PgType.INT8), EmulatorColumn.of("value", PgType.INT8),
        EmulatorColumn.of("note", PgType.TEXT));
  }

  /**
   * Inserts every key at {@link #LOW} in one commit, which causes no event.
   *
   * @return the commit's Materialize timestamp
   */
  long populate() {
    List<RowDiff> rows = new ArrayList<>(keys);
    for (int key = 0; key < keys; key++) {
      values[key] = LOW;
      rows.add(RowDiff.insert((long) key, LOW, note));
    }
    return commit(rows);
  }

  /** Events predicted by every run so far (what the receiver should eventually have seen). */
  long eventsExpected() {
    return eventsExpected;
  }

  /**
   * Writes {@code changes} updates round-robin over the keys at {@code perSecond} (0: as fast as possible), in emulator
   * commits of {@code perCommit} changes each (one Materialize timestamp per commit).
   *
   * @return for every event the changes cause, its event id and the {@link System#nanoTime()} just before the
   *     commit that causes it
   */
  Map<String, Long> drive(int changes, int perSecond, int perCommit) {
    return drive(Load.counted(changes, perSecond, perCommit)).expected();
  }

  /** Writes as {@code load} says; returns when it is done (bounded by its count and duration). */
  Driven drive(Load load) {
    int perCommit = load.changesPerCommit();
    Map<String, Long> expected = new HashMap<>();
    long intervalNanos = load.changesPerSecond() <= 0 ? 0 : 1_000_000_000L * perCommit / load.changesPerSecond();
    long start = System.nanoTime();
    long deadline = start + load.maxDuration().toNanos();
    int done = 0;
    int commits = 0;
    long[] timestamps = new long[1_024];
    while (done < load.maxChanges() && System.nanoTime() < deadline) {
      if (!awaitTurn(start + commits * intervalNanos, deadline, load.holdBack())) {
        break;
      }
      int size = Math.min(perCommit, load.maxChanges() - done);
      int[] keysWritten = new int[size];
      List<RowDiff> diffs = new ArrayList<>(2 * size);
      for (int i = 0; i < size; i++) {
        int key = (int) (written++ % keys);
        long before = values[key];
        long after = before == LOW ? HIGH : LOW;
        diffs.add(RowDiff.retract((long) key, before, note));
        diffs.add(RowDiff.insert((long) key, after, note));
        values[key] = after;
        keysWritten[i] = key;
      }
      long writeNanos = System.nanoTime();
      long timestamp = commit(diffs);
      if (commits == timestamps.length) {
        timestamps = Arrays.copyOf(timestamps, 2 * commits);
      }
      timestamps[commits] = timestamp;
      BigInteger mzTimestamp = BigInteger.valueOf(timestamp);
      for (int key : keysWritten) {
        for (String trigger : keyTriggers.triggersOf(key)) {
          expected.put(EventId.of(trigger, List.of((Object) (long) key), mzTimestamp), writeNanos);
          eventsExpected++;
        }
      }
      done += size;
      commits++;
    }
    return new Driven(expected, done, commits, start, System.nanoTime(), Arrays.copyOf(timestamps, commits));
  }

  /** Parks until {@code due} and while {@code holdBack} holds; false when the deadline passed meanwhile. */
  private static boolean awaitTurn(long due, long deadline, BooleanSupplier holdBack) {
    long now = System.nanoTime();
    if (due > now) {
      LockSupport.parkNanos(due - now);
    }
    while (holdBack.getAsBoolean()) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      LockSupport.parkNanos(HOLD_BACK_PARK_NANOS);
    }
    return true;
  }

  /**
   * One emulator commit at {@code max(upper, now)}, like its single-row writes. The ticker may move the upper between
   * reading it and writing, which the emulator refuses; then the next millisecond is tried.
   */
  private long commit(List<RowDiff> diffs) {
    for (int attempt = 0; ; attempt++) {
      long time = Math.max(emulator.upper(VIEW), emulator.now()) + attempt;
      try {
        emulator.write(VIEW, time, diffs);
        return time;
      } catch (IllegalArgumentException belowUpper) {
        if (attempt >= MAX_COMMIT_ATTEMPTS) {
          throw belowUpper;
        }
      }
    }
  }
}
