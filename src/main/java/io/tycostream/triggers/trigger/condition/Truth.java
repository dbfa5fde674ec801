package io.tycostream.triggers.trigger.condition;

/**
 * The three truth values of SQL logic. A comparison with a NULL value is {@link #UNKNOWN}; a row matches a
 * condition only when the condition is {@link #TRUE}.
 */
public enum Truth {
  TRUE, FALSE, UNKNOWN;

  public static Truth of(boolean value) {
    return value ? TRUE : FALSE;
  }

  /** SQL {@code NOT}: swaps TRUE and FALSE; {@code NOT UNKNOWN} stays UNKNOWN. */
  public Truth not() {
    return this == TRUE ? FALSE : this == FALSE ? TRUE : UNKNOWN;
  }
}
