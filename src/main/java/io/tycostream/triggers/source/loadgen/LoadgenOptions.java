package io.tycostream.triggers.source.loadgen;

import java.util.Objects;

/**
 * Options of a {@link LoadgenSource}: how many accounts it simulates, how fast it changes them, and the seed that
 * makes the stream reproducible. Every default is a named constant; setters validate and throw
 * {@link IllegalArgumentException} for a value out of range.
 * <p>
 * Mutable and not thread-safe, like Vert.x options: configure, then hand over (the source copies it).
 */
public class LoadgenOptions {

  /** Default number of keyed rows (accounts). */
  public static final int DEFAULT_ENTITIES = 20;
  /** Default milliseconds between ticks (and of logical time per tick). */
  public static final long DEFAULT_INTERVAL_MS = 250;
  /** Default number of distinct accounts changed per tick. */
  public static final int DEFAULT_CHANGES_PER_TICK = 3;
  /** Default random seed. */
  public static final long DEFAULT_SEED = 42;
  /**
   * Most accounts a generator simulates: a snapshot holds every one of them, and the logical clock's change counter
   * stays far from overflow for centuries of ticks.
   */
  public static final int MAX_ENTITIES = 1_000_000;
  /** Longest tick: one day of logical time. */
  public static final long MAX_INTERVAL_MS = 86_400_000;

  private int entities = DEFAULT_ENTITIES;
  private long intervalMs = DEFAULT_INTERVAL_MS;
  private int changesPerTick = DEFAULT_CHANGES_PER_TICK;
  private long seed = DEFAULT_SEED;

  public LoadgenOptions() {
  }

  public LoadgenOptions(LoadgenOptions other) {
    this.entities = other.entities;
    this.intervalMs = other.intervalMs;
    this.changesPerTick = other.changesPerTick;
    this.seed = other.seed;
  }

  public int getEntities() {
    return entities;
  }

  /** How many keyed rows (accounts) exist, 1 to {@value #MAX_ENTITIES}. */
  public LoadgenOptions setEntities(int entities) {
    if (entities < 1 || entities > MAX_ENTITIES) {
      throw new IllegalArgumentException("entities must be between 1 and " + MAX_ENTITIES + ": " + entities);
    }
    this.entities = entities;
    return this;
  }

  public long getIntervalMs() {
    return intervalMs;
  }

  /** Milliseconds between ticks; each tick closes one batch and advances the logical clock by as much. */
  public LoadgenOptions setIntervalMs(long intervalMs) {
    if (intervalMs < 1 || intervalMs > MAX_INTERVAL_MS) {
      throw new IllegalArgumentException("interval_ms must be between 1 and " + MAX_INTERVAL_MS + ": " + intervalMs);
    }
    this.intervalMs = intervalMs;
    return this;
  }

  public int getChangesPerTick() {
    return changesPerTick;
  }

  /** How many distinct accounts change in one tick, at least 1 (capped at {@link #getEntities()}). */
  public LoadgenOptions setChangesPerTick(int changesPerTick) {
    if (changesPerTick < 1) {
      throw new IllegalArgumentException("changes_per_tick must be positive: " + changesPerTick);
    }
    this.changesPerTick = changesPerTick;
    return this;
  }

  public long getSeed() {
    return seed;
  }

  /** The random seed: the same seed and options always give the same stream. */
  public LoadgenOptions setSeed(long seed) {
    this.seed = seed;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LoadgenOptions other && entities == other.entities && intervalMs == other.intervalMs
        && changesPerTick == other.changesPerTick && seed == other.seed;
  }

  @Override
  public int hashCode() {
    return Objects.hash(entities, intervalMs, changesPerTick, seed);
  }

  @Override
  public String toString() {
    return "LoadgenOptions[entities=" + entities + ", intervalMs=" + intervalMs + ", changesPerTick="
        + changesPerTick + ", seed=" + seed + "]";
  }
}
