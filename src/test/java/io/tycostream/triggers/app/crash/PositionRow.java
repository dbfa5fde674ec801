package io.tycostream.triggers.app.crash;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One row of the crash test's {@code positions(id INT4, qty INT8, price NUMERIC, active BOOL)} table, key {@code id}.
 * Immutable.
 */
public record PositionRow(int id, long qty, BigDecimal price, boolean active) {

  public PositionRow {
    Objects.requireNonNull(price, "price");
  }

  /** The values in column order, typed as the emulator stores them (INT4 Integer, INT8 Long, NUMERIC BigDecimal). */
  public Object[] values() {
    return new Object[] {id, qty, price, active};
  }
}
