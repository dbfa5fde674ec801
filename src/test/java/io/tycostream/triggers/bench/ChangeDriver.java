package io.tycostream.triggers.bench;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.emulator.RowDiff;
import io.tycostream.triggers.trigger.EventId;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes the benchmark's changes into the emulator's view {@value #VIEW} ({@code id int8, value int8, note text}),
 * paced at a fixed rate, and predicts the event each change causes so its delivery can be matched to its write.
 * <p>
 * Keys are distinct within one commit as long as a commit holds at most {@code keys} changes.
 * <p>
 * Every key alternates between {@value #LOW} and {@value #HIGH}: the benchmark's triggers fire above 100 and clear
 * at or below it, so every change is one FIRE or one CLEAR per trigger. Each emulator commit has its own Materialize
 * timestamp, so the event id (trigger, key, timestamp) names exactly one change.
 * <p>
 * Not thread-safe: one benchmark thread drives it; it blocks (parks) between writes and must never run on an event
 * loop.
 */
final class ChangeDriver {

  static final String VIEW = "bench_positions";
  static final long LOW = 50;
  static final long HIGH = 150;

  private final MaterializeEmulator emulator;
  private final int keys;
  private final List<String> triggerNames;
  private final String note;
  private final long[] values;
  private long written;

  /**
   * @param noteLength length of the constant text column, which sizes the webhook body like a real row
   */
  ChangeDriver(MaterializeEmulator emulator, int keys, List<String> triggerNames, int noteLength) {
    this.emulator = emulator;
    this.keys = keys;
    this.triggerNames = List.copyOf(triggerNames);
    this.note = "n".repeat(noteLength);
    this.values = new long[keys];
  }

  /** Creates the view with every key at {@link #LOW} (not matching), before the service subscribes. */
  void createView() {
    emulator.createView(VIEW, EmulatorColumn.of("id", PgType.INT8), EmulatorColumn.of("value", PgType.INT8),
        EmulatorColumn.of("note", PgType.TEXT));
    for (int key = 0; key < keys; key++) {
      values[key] = LOW;
      emulator.insert(VIEW, (long) key, LOW, note);
    }
  }

  /**
   * Writes {@code changes} updates round-robin over the keys at {@code perSecond} (0: as fast as possible), in emulator
   * commits of {@code perCommit} changes each (one Materialize timestamp per commit).
   *
   * @return for every event the changes cause, its event id and the {@link System#nanoTime()} just before the
   *     commit that causes it
   */
  Map<String, Long> drive(int changes, int perSecond, int perCommit) {
    Map<String, Long> expected = new HashMap<>(changes * triggerNames.size() * 2);
    long intervalNanos = perSecond <= 0 ? 0 : 1_000_000_000L * perCommit / perSecond;
    long start = System.nanoTime();
    for (int done = 0, commit = 0; done < changes; done += perCommit, commit++) {
      long due = start + commit * intervalNanos;
      long now = System.nanoTime();
      if (due > now) {
        LockSupport.parkNanos(due - now);
      }
      int size = Math.min(perCommit, changes - done);
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
      BigInteger mzTimestamp = BigInteger.valueOf(commit(diffs));
      for (int key : keysWritten) {
        for (String trigger : triggerNames) {
          expected.put(EventId.of(trigger, List.of((Object) (long) key), mzTimestamp), writeNanos);
        }
      }
    }
    return expected;
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
        if (attempt >= 100) {
          throw belowUpper;
        }
      }
    }
  }
}
