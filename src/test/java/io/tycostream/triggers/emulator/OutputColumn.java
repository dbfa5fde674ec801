package io.tycostream.triggers.emulator;

/**
 * A column of a result set as sent in RowDescription.
 *
 * @param name column name
 * @param type pg type
 * @param typmod type modifier (-1 unless constrained, e.g. numeric(39,0) for mz_timestamp)
 */
record OutputColumn(String name, PgType type, int typmod) {

  /** numeric(39,0): (39 << 16 | 0) + 4, as Materialize sends for mz_timestamp. */
  static final int MZ_TIMESTAMP_TYPMOD = (39 << 16) + 4;

  static OutputColumn of(String name, PgType type) {
    return new OutputColumn(name, type, -1);
  }
}
