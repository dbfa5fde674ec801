package io.tycostream.triggers.source.materialize;

import io.vertx.sqlclient.desc.ColumnDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;

/**
 * The {@code typlen} the server sent for a column in its RowDescription. Pure and thread-safe.
 * <p>
 * Why: the Vert.x pg client (5.0.x) maps every type OID it does not know to {@code UNKNOWN} and throws the OID away,
 * so Materialize's {@code uint2} (OID 16460), {@code uint4} (16462) and {@code uint8} (16464) cannot be told from a
 * {@code list} or a {@code map} by {@link ColumnDescriptor#typeName()}. The client does keep the column's
 * {@code typlen} (2, 4 and 8 for the unsigned types, -1 for lists and maps) in a package-private field of its
 * {@code PgColumnDesc}; this class reads it once per column description. When the field cannot be read (another
 * client version, another descriptor class) the length is {@link #UNKNOWN} and such columns stay
 * {@link io.tycostream.triggers.source.ColumnType#OTHER} text, as before; a warning is logged once.
 */
final class WireTypeLength {

  /** The length of a column whose descriptor does not carry one. */
  static final int UNKNOWN = Integer.MIN_VALUE;

  private static final Logger LOG = LoggerFactory.getLogger(WireTypeLength.class);
  private static final String PG_COLUMN_DESC = "io.vertx.pgclient.impl.codec.PgColumnDesc";
  private static final Field LENGTH = lengthField();

  private WireTypeLength() {
  }

  /** The column's {@code typlen}: a byte count, -1 for variable-length types, or {@link #UNKNOWN}. */
  static int of(ColumnDescriptor column) {
    if (LENGTH == null || !LENGTH.getDeclaringClass().isInstance(column)) {
      return UNKNOWN;
    }
    try {
      return ((Number) LENGTH.get(column)).intValue();
    } catch (IllegalAccessException | RuntimeException e) {
      return UNKNOWN;
    }
  }

  private static Field lengthField() {
    try {
      Field field = Class.forName(PG_COLUMN_DESC).getDeclaredField("length");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("cannot read column lengths from the pg client, unsigned integer columns decode as text "
          + "[class: {}, cause: {}]", PG_COLUMN_DESC, e.toString());
      return null;
    }
  }
}
