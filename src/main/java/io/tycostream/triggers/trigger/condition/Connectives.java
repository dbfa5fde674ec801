package io.tycostream.triggers.trigger.condition;

import java.util.List;
import java.util.Map;

/**
 * SQL {@code AND}, {@code OR} and {@code NOT} over compiled conditions, with three-valued logic. Built at compile
 * time; children are kept in arrays so evaluation allocates nothing.
 */
final class Connectives {

  private Connectives() {
  }

  /** AND of {@code parts}; an empty list is {@link Condition#ALWAYS}, a single part is returned as is. */
  static Condition allOf(List<Condition> parts) {
    List<Condition> useful = parts.stream().filter(part -> part != Condition.ALWAYS).toList();
    if (useful.isEmpty()) {
      return Condition.ALWAYS;
    }
    return useful.size() == 1 ? useful.get(0) : new AllOf(useful.toArray(new Condition[0]));
  }

  /** OR of {@code parts} (at least one); a single part is returned as is. */
  static Condition anyOf(List<Condition> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("anyOf needs at least one part");
    }
    return parts.size() == 1 ? parts.get(0) : new AnyOf(parts.toArray(new Condition[0]));
  }

  static Condition not(Condition inner) {
    return new Negation(inner);
  }

  /** FALSE wins, then UNKNOWN, else TRUE. */
  private static final class AllOf implements Condition {
    private final Condition[] parts;

    AllOf(Condition[] parts) {
      this.parts = parts;
    }

    @Override
    public Truth evaluate(Map<String, Object> row) {
      boolean unknown = false;
      for (Condition part : parts) {
        Truth truth = part.evaluate(row);
        if (truth == Truth.FALSE) {
          return Truth.FALSE;
        }
        unknown |= truth == Truth.UNKNOWN;
      }
      return unknown ? Truth.UNKNOWN : Truth.TRUE;
    }
  }

  /** TRUE wins, then UNKNOWN, else FALSE. */
  private static final class AnyOf implements Condition {
    private final Condition[] parts;

    AnyOf(Condition[] parts) {
      this.parts = parts;
    }

    @Override
    public Truth evaluate(Map<String, Object> row) {
      boolean unknown = false;
      for (Condition part : parts) {
        Truth truth = part.evaluate(row);
        if (truth == Truth.TRUE) {
          return Truth.TRUE;
        }
        unknown |= truth == Truth.UNKNOWN;
      }
      return unknown ? Truth.UNKNOWN : Truth.FALSE;
    }
  }

  private static final class Negation implements Condition {
    private final Condition inner;

    Negation(Condition inner) {
      this.inner = inner;
    }

    @Override
    public Truth evaluate(Map<String, Object> row) {
      return inner.evaluate(row).not();
    }
  }
}
