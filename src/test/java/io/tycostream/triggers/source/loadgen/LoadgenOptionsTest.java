package io.tycostream.triggers.source.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verifies the load generator's options: named defaults, validated setters, independent copies. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadgenOptionsTest {

  /** Verifies that a new options object holds the documented defaults. */
  @Test
  void startsWithTheNamedDefaults() {
    LoadgenOptions options = new LoadgenOptions();
    assertThat(options.getEntities()).isEqualTo(LoadgenOptions.DEFAULT_ENTITIES).isEqualTo(20);
    assertThat(options.getIntervalMs()).isEqualTo(LoadgenOptions.DEFAULT_INTERVAL_MS).isEqualTo(250);
    assertThat(options.getChangesPerTick()).isEqualTo(LoadgenOptions.DEFAULT_CHANGES_PER_TICK).isEqualTo(3);
    assertThat(options.getSeed()).isEqualTo(LoadgenOptions.DEFAULT_SEED).isEqualTo(42);
  }

  /** Verifies that values out of range are refused with a message naming the setting, and the options unchanged. */
  @Test
  void refusesValuesOutOfRange() {
    LoadgenOptions options = new LoadgenOptions();
    assertThatThrownBy(() -> options.setEntities(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("entities");
    assertThatThrownBy(() -> options.setEntities(LoadgenOptions.MAX_ENTITIES + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> options.setIntervalMs(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interval_ms");
    assertThatThrownBy(() -> options.setIntervalMs(LoadgenOptions.MAX_INTERVAL_MS + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> options.setChangesPerTick(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("changes_per_tick");
    assertThat(options).isEqualTo(new LoadgenOptions());
  }

  /** Verifies that the copy constructor copies every setting and later changes do not leak between copies. */
  @Test
  void copiesAreIndependent() {
    LoadgenOptions original = new LoadgenOptions().setEntities(5).setIntervalMs(10).setChangesPerTick(7).setSeed(-1);
    LoadgenOptions copy = new LoadgenOptions(original);
    assertThat(copy).isEqualTo(original).hasSameHashCodeAs(original);
    original.setSeed(9);
    assertThat(copy.getSeed()).isEqualTo(-1);
  }
}
