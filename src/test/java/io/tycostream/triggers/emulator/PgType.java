package io.tycostream.triggers.emulator;

/**
 * The PostgreSQL types the emulator can store and put on the wire, with their OID and {@code typlen}.
 * Immutable; safe to share between threads.
 */
public enum PgType {
  INT4(23, 4, "integer"),
  INT8(20, 8, "bigint"),
  TEXT(25, -1, "text"),
  NUMERIC(1700, -1, "numeric"),
  BOOL(16, 1, "boolean"),
  FLOAT8(701, 8, "double precision"),
  TIMESTAMP(1114, 8, "timestamp without time zone"),
  TIMESTAMPTZ(1184, 8, "timestamp with time zone"),
  DATE(1082, 4, "date"),
  JSONB(3802, -1, "jsonb"),
  /** Materialize's unsigned integers (mz_pgrepr oid.rs; the docs once misprinted uint8 as 14464). */
  UINT2(16460, 2, "uint2"),
  UINT4(16462, 4, "uint4"),
  UINT8(16464, 8, "uint8");

  private final int oid;
  private final int typlen;
  private final String sqlName;

  PgType(int oid, int typlen, String sqlName) {
    this.oid = oid;
    this.typlen = typlen;
    this.sqlName = sqlName;
  }

  /** The pg_type OID sent in RowDescription. */
  public int oid() { return oid; }

  /** The pg_type {@code typlen}: the fixed byte size, or -1 for variable length. */
  public int typlen() { return typlen; }

  /** The SQL spelling, as {@code format_type} would print it. */
  public String sqlName() { return sqlName; }
}
