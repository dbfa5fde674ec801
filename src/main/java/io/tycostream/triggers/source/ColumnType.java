package io.tycostream.triggers.source;

import java.util.Locale;

/**
 * The logical type of a source column, discovered from the server's RowDescription (never typed by hand).
 * <p>
 * Each type names the Java class its values are decoded to, so later stages (conditions, payloads) can rely on
 * it: exact numbers stay exact ({@code numeric} is a {@link java.math.BigDecimal}), integers are {@code Long}.
 */
public enum ColumnType {
  /** {@code bool}, decoded to {@link Boolean}. */
  BOOLEAN,
  /** {@code int2}, {@code int4}, {@code int8} (and Materialize's {@code uint*}), decoded to {@link Long}. */
  INTEGER,
  /** {@code numeric}, decoded to {@link java.math.BigDecimal}. */
  NUMERIC,
  /** {@code float4}, {@code float8}, decoded to {@link Double}. */
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
