package io.tycostream.triggers.source;

import java.util.Locale;

/**
 * The logical type of a source column, discovered from the server's RowDescription (never typed by hand).
 * <p>
 * Each type names the Java class its values are decoded to, so later stages (conditions, payloads) can rely on
 * it: exact numbers stay exact ({@code numeric} is a {@link java.math.BigDecimal}), integers are {@code Long}.
 * <p>
 * The special values {@code NaN}, {@code Infinity} and {@code -Infinity} of {@link #NUMERIC} and {@link #FLOAT}
 * columns are the {@code Double} constants {@code NaN}, {@code POSITIVE_INFINITY} and {@code NEGATIVE_INFINITY};
 * payloads show them as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}, and conditions order them
 * as PostgreSQL does: {@code -Infinity} &lt; every finite value &lt; {@code Infinity} &lt; {@code NaN}, and
 * {@code NaN} equals {@code NaN}.
 */
public enum ColumnType {
  /** {@code bool}, decoded to {@link Boolean}. */
  BOOLEAN,
  /**
   * {@code int2}, {@code int4}, {@code int8} and Materialize's {@code uint2}, {@code uint4}, decoded to
   * {@link Long}.
   */
  INTEGER,
  /**
   * {@code numeric} and Materialize's {@code uint8} (whose values exceed {@code Long.MAX_VALUE}), decoded to
   * {@link java.math.BigDecimal}; the special values NaN and ±Infinity to the {@link Double} constants.
   */
  NUMERIC,
  /** {@code float4}, {@code float8}, decoded to {@link Double} (NaN and ±Infinity included). */
  FLOAT,
  /** {@code text}, {@code varchar}, {@code char}, decoded to {@link String}. */
  TEXT,
  /** {@code timestamp} (without time zone), decoded to {@link java.time.LocalDateTime}. */
  TIMESTAMP,
  /** {@code timestamptz}, decoded to {@link java.time.OffsetDateTime} in UTC. */
  TIMESTAMPTZ,
  /** {@code date}, decoded to {@link java.time.LocalDate}. */
  DATE,
  /** {@code json}, {@code jsonb}, decoded to a Vert.x {@code JsonObject}, {@code JsonArray} or a JSON scalar. */
  JSON,
  /** Anything else (lists, maps, intervals, uuid…), decoded to its text form as a {@link String}. */
  OTHER;

  /** The name used in configuration, logs and the admin API. */
  public String displayName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
