package io.tycostream.triggers.emulator;

/**
 * The emulator's logical millisecond clock. In wall mode it follows the wall clock offset from the configured start;
 * in manual mode it only moves through {@link #set}. Guarded by the catalog lock.
 */
final class LogicalClock {

  private final boolean manual;
  private final long start;
  private final long wallStart;
  private long manualNow;

  LogicalClock(boolean manual, long start) {
    this.manual = manual;
    this.start = start;
    this.wallStart = System.currentTimeMillis();
    this.manualNow = start;
  }

  long now() {
    return manual ? manualNow : start + (System.currentTimeMillis() - wallStart);
  }

  boolean manual() {
    return manual;
  }

  /** Moves a manual clock forward (never backwards); ignored in wall mode. */
  void set(long now) {
    manualNow = Math.max(manualNow, now);
  }
}
