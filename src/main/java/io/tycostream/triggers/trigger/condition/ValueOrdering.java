package io.tycostream.triggers.trigger.condition;

/**
 * Compares a non-null row value with one literal fixed at compile time. Implementations are chosen by column type
 * and literal once, so the per-row work is a type check and a primitive or {@code compareTo} comparison.
 */
@FunctionalInterface
interface ValueOrdering {

  /** Returned when the row value has a class the column type does not produce; the comparison is UNKNOWN. */
  int INCOMPARABLE = Integer.MIN_VALUE;

  /**
   * Negative, zero or positive as {@code value} is below, equal to or above the literal, or {@link #INCOMPARABLE}.
   */
  int compare(Object value);
}
