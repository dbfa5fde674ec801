package io.tycostream.triggers.config;

/**
 * Settings of a {@code loadgen} source: how many entities it simulates and how fast it changes them.
 *
 * @param entities       how many keyed rows (accounts) exist
 * @param intervalMs     milliseconds between ticks; each tick closes one batch and advances the logical clock by
 *                       this much
 * @param changesPerTick how many distinct rows change in one tick (capped at {@code entities})
 * @param seed           the random seed; the same seed gives the same stream
 */
public record LoadgenConfig(int entities, long intervalMs, int changesPerTick, long seed) {

  public static final int DEFAULT_ENTITIES = 20;
  public static final long DEFAULT_INTERVAL_MS = 250;
  public static final int DEFAULT_CHANGES_PER_TICK = 3;
  public static final long DEFAULT_SEED = 42;

  public static LoadgenConfig defaults() {
    return new LoadgenConfig(DEFAULT_ENTITIES, DEFAULT_INTERVAL_MS, DEFAULT_CHANGES_PER_TICK, DEFAULT_SEED);
  }
}
