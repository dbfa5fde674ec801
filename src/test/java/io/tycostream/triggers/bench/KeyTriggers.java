package io.tycostream.triggers.bench;

import java.util.List;

/**
 * Which triggers produce one event when a key of the benchmark view flips between {@link ChangeDriver#LOW} and
 * {@link ChangeDriver#HIGH}, so {@link ChangeDriver} can predict every event id. Implementations are pure.
 */
@FunctionalInterface
interface KeyTriggers {

  /** The triggers that fire or clear when {@code key} flips. */
  List<String> triggersOf(int key);

  /** Every trigger reacts to every key (thresholds on {@code value} alone). */
  static KeyTriggers all(List<String> names) {
    List<String> copy = List.copyOf(names);
    return key -> copy;
  }

  /** Trigger {@code <prefix><key>} reacts to its own key only (a threshold ANDed with {@code id = key}). */
  static KeyTriggers onePerKey(String prefix) {
    return key -> List.of(prefix + key);
  }
}
