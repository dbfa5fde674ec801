package io.tycostream.triggers.app.crash;

import io.tycostream.triggers.emulator.MaterializeEmulator;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes a seeded random stream of inserts, updates and deletes to the emulator's {@code positions} table at an even
 * pace, keeping its own copy of the table so every update and delete names the row that is really there, and records
 * each write with the timestamp the emulator gave it.
 * <p>
 * Values are chosen to cross the crash test's conditions often: {@code qty} walks over 0..1000 in steps of up to 250,
 * {@code price} is 90.00..101.00 with two decimals, {@code active} flips now and then. No nulls are ever written.
 * <p>
 * Threading: {@link #call()} runs on one thread (the writer's); the emulator's control API is thread-safe.
 */
public final class PositionsWriter implements Callable<List<PositionChange>> {

  public static final String TABLE = "positions";

  private static final int MAX_QTY = 1_000;
  private static final int QTY_STEP = 250;
  private static final double DELETE_SHARE = 0.15;
  private static final double FLIP_ACTIVE_SHARE = 0.3;

  private final MaterializeEmulator emulator;
  private final Random random;
  private final int keys;
  private final int changes;
  private final long periodNanos;
  private final Map<Integer, PositionRow> table = new HashMap<>();

  /**
   * @param keys     ids 1..keys are written
   * @param changes  how many writes to make
   * @param duration roughly how long the writes take, spread evenly
   */
  public PositionsWriter(MaterializeEmulator emulator, long seed, int keys, int changes, Duration duration) {
    this.emulator = emulator;
    this.random = new Random(seed);
    this.keys = keys;
    this.changes = changes;
    this.periodNanos = duration.toNanos() / changes;
  }

  /** Makes every write; returns them in the order made (which is also timestamp order). */
  @Override
  public List<PositionChange> call() {
    List<PositionChange> written = new ArrayList<>(changes);
    long start = System.nanoTime();
    for (int i = 0; i < changes; i++) {
      // pacing, not waiting for a condition: spreads the writes over the kills
      long due = start + i * periodNanos;
      while (System.nanoTime() < due) {
        LockSupport.parkNanos(due - System.nanoTime());
      }
      written.add(writeOne());
    }
    return written;
  }

  private PositionChange writeOne() {
    int id = 1 + random.nextInt(keys);
    PositionRow before = table.get(id);
    if (before == null) {
      PositionRow after = new PositionRow(id, random.nextInt(MAX_QTY + 1), randomPrice(), random.nextBoolean());
      long time = emulator.insert(TABLE, after.values());
      table.put(id, after);
      return new PositionChange(time, id, null, after);
    }
    if (random.nextDouble() < DELETE_SHARE) {
      long time = emulator.delete(TABLE, before.values());
      table.remove(id);
      return new PositionChange(time, id, before, null);
    }
    long qty = Math.max(0, Math.min(MAX_QTY, before.qty() + random.nextInt(2 * QTY_STEP + 1) - QTY_STEP));
    boolean active = random.nextDouble() < FLIP_ACTIVE_SHARE ? !before.active() : before.active();
    PositionRow after = new PositionRow(id, qty, randomPrice(), active);
    long time = emulator.update(TABLE, before.values(), after.values());
    table.put(id, after);
    return new PositionChange(time, id, before, after);
  }

  private BigDecimal randomPrice() {
    return BigDecimal.valueOf(9_000 + random.nextInt(1_101), 2);
  }
}
