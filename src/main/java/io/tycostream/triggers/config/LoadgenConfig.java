package io.tycostream.triggers.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import static java.util.Objects.requireNonNullElse;

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

  /** The {@code loadgen} section as written: each field left out takes its default, here and nowhere else. */
  @JsonCreator
  static LoadgenConfig fromFile(@JsonProperty("entities") Integer entities,
                                @JsonProperty("interval_ms") Long intervalMs,
                                @JsonProperty("changes_per_tick") Integer changesPerTick,
                                @JsonProperty("seed") Long seed) {
    return new LoadgenConfig(requireNonNullElse(entities, DEFAULT_ENTITIES),
        requireNonNullElse(intervalMs, DEFAULT_INTERVAL_MS),
        requireNonNullElse(changesPerTick, DEFAULT_CHANGES_PER_TICK), requireNonNullElse(seed, DEFAULT_SEED));
  }

  /** What a {@code loadgen} source without a {@code loadgen} section gets. */
  public static LoadgenConfig defaults() {
    return fromFile(null, null, null, null);
  }
}
