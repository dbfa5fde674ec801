package io.tycostream.triggers.emulator;

import java.util.Objects;

/**
 * One change to an emulated relation: a full row and its multiplicity change (+1 insert, -1 delete, or any k).
 *
 * @param row the column values in relation order (Java types listed on {@link MaterializeEmulator})
 * @param diff the multiplicity change; 0 is allowed and consolidates away
 */
public record RowDiff(Object[] row, long diff) {

  public RowDiff {
    Objects.requireNonNull(row, "row");
  }

  public static RowDiff insert(Object... row) { return new RowDiff(row, 1); }

  public static RowDiff retract(Object... row) { return new RowDiff(row, -1); }
}
