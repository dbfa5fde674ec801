package io.tycostream.triggers.trigger.condition;

import java.util.Map;
import java.util.Set;

/**
 * The leaf conditions on one column: comparisons, membership and null tests. A NULL or absent value makes every
 * comparison and membership test UNKNOWN; only {@code _is_null} looks at NULL.
 */
final class ColumnTests {

  /** Outcome bits a comparison operator accepts. */
  static final int BELOW = 1;
  static final int EQUAL = 2;
  static final int ABOVE = 4;

  private ColumnTests() {
  }

  /** {@code column <op> literal}, where {@code accepted} holds the outcome bits the operator accepts. */
  static Condition comparison(String column, ValueOrdering ordering, int accepted) {
    return new Comparison(column, ordering, accepted);
  }

  /** {@code column [NOT] IN (literals…)}, compared one by one. */
  static Condition membership(String column, ValueOrdering[] candidates, boolean negated) {
    return new Membership(column, candidates, negated);
  }

  /** {@code column [NOT] IN (strings…)} by hash lookup, for text-like columns where equality is string equality. */
  static Condition textMembership(String column, Set<String> candidates, boolean negated) {
    return new TextMembership(column, Set.copyOf(candidates), negated);
  }

  static Condition isNull(String column, boolean expectNull) {
    return new IsNull(column, expectNull);
  }

  private static final class Comparison implements Condition {
    private final String column;
    private final ValueOrdering ordering;
    private final int accepted;

    Comparison(String column, ValueOrdering ordering, int accepted) {
      this.column = column;
      this.ordering = ordering;
      this.accepted = accepted;
    }

    @Override
    public Truth evaluate(Map<String, Object> row) {
      Object value = row.get(column);
      if (value == null) {
        return Truth.UNKNOWN;
      }
      int order = ordering.compare(value);
      if (order == ValueOrdering.INCOMPARABLE) {
        return Truth.UNKNOWN;
      }
      int outcome = order < 0 ? BELOW : order == 0 ? EQUAL : ABOVE;
      return (accepted & outcome) != 0 ? Truth.TRUE : Truth.FALSE;
    }
  }

  private static final class Membership implements Condition {
    private final String column;
    private final ValueOrdering[] candidates;
    private final Truth found;
    private final Truth notFound;

    Membership(String column, ValueOrdering[] candidates, boolean negated) {
      this.column = column;
      this.candidates = candidates;
      this.found = Truth.of(!negated);
      this.notFound = Truth.of(negated);
    }

    @Override
    public Truth evaluate(Map<String, Object> row) {
      Object value = row.get(column);
      if (value == null) {
        return Truth.UNKNOWN;
      }
      for (ValueOrdering candidate : candidates) {
        int order = candidate.compare(value);
        if (order == ValueOrdering.INCOMPARABLE) {
          return Truth.UNKNOWN;
        }
        if (order == 0) {
          return found;
        }
      }
      return notFound;
    }
  }

  private static final class TextMembership implements Condition {
    private final String column;
    private final Set<String> candidates;
    private final Truth found;
    private final Truth notFound;

    TextMembership(String column, Set<String> candidates, boolean negated) {
      this.column = column;
      this.candidates = candidates;
      this.found = Truth.of(!negated);
      this.notFound = Truth.of(negated);
    }

    @Override
    public Truth evaluate(Map<String, Object> row) {
      Object value = row.get(column);
      if (!(value instanceof String text)) {
        return Truth.UNKNOWN;
      }
      return candidates.contains(text) ? found : notFound;
    }
  }

  private static final class IsNull implements Condition {
    private final String column;
    private final boolean expectNull;

    IsNull(String column, boolean expectNull) {
      this.column = column;
      this.expectNull = expectNull;
    }

    @Override
    public Truth evaluate(Map<String, Object> row) {
      return (row.get(column) == null) == expectNull ? Truth.TRUE : Truth.FALSE;
    }
  }
}
