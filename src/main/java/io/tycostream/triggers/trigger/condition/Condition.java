package io.tycostream.triggers.trigger.condition;

import java.util.Map;

/**
 * A compiled {@code where} condition over one row, built once by {@link ConditionCompiler}.
 * <p>
 * Evaluation follows SQL three-valued logic: any comparison with a NULL (or absent) column value is
 * {@link Truth#UNKNOWN}, {@code _is_null} is the only way to test for NULL, and {@code _and}/{@code _or}/{@code _not}
 * combine truth values as SQL does. Instances are immutable, allocation-free per row and safe to share between
 * threads.
 */
@FunctionalInterface
public interface Condition {

  /** The condition that always holds: the empty object {@code {}}. */
  Condition ALWAYS = row -> Truth.TRUE;

  /**
   * Evaluates the condition on {@code row} (column name to value, typed as
   * {@link io.tycostream.triggers.source.ColumnType} documents). A missing column counts as NULL.
   */
  Truth evaluate(Map<String, Object> row);

  /** Whether the row matches: the condition is {@link Truth#TRUE} (FALSE and UNKNOWN do not match). */
  default boolean matches(Map<String, Object> row) {
    return evaluate(row) == Truth.TRUE;
  }
}
