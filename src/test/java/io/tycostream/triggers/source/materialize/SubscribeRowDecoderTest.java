package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ColumnType;
import io.tycostream.triggers.source.SourceColumn;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import io.vertx.sqlclient.desc.ColumnDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.JDBCType;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubscribeRowDecoderTest {

  private record Column(String name, String typeName) implements ColumnDescriptor {
    @Override
    public boolean isArray() {
      return typeName.endsWith("_ARRAY");
    }

    @Override
    public JDBCType jdbcType() {
      return JDBCType.OTHER;
    }
  }

  private static final List<ColumnDescriptor> ITEMS = List.of(
      new Column("mz_timestamp", "NUMERIC"), new Column("mz_progressed", "BOOL"), new Column("mz_state", "TEXT"),
      new Column("id", "INT4"), new Column("name", "TEXT"), new Column("qty", "NUMERIC"));

  private static Tuple row(Object... values) {
    return Tuple.wrap(new ArrayList<>(Arrays.asList(values)));
  }

  /** Verifies that the schema comes from the RowDescription: relation columns after the metadata, keys first. */
  @Test
  void discoversSchemaFromColumnDescriptors() {
    // WHEN the decoder reads the items output description
    SubscribeRowDecoder decoder = SubscribeRowDecoder.of(ITEMS, List.of("id"));
    // THEN the relation columns and their logical types are known
    assertThat(decoder.schema().columns()).containsExactly(
        new SourceColumn("id", ColumnType.INTEGER, "int4"),
        new SourceColumn("name", ColumnType.TEXT, "text"),
        new SourceColumn("qty", ColumnType.NUMERIC, "numeric"));
    assertThat(decoder.schema().keyColumns()).containsExactly("id");
  }

  /** Verifies that an upsert row becomes a keyed change with typed values in output order. */
  @Test
  void decodesUpsertRow() {
    SubscribeRowDecoder decoder = SubscribeRowDecoder.of(ITEMS, List.of("id"));
    // WHEN an upsert row as Vert.x decodes it arrives
    SubscribeRow decoded = decoder.decode(row(Numeric.parse("1713467628500"), false, "upsert", 1, "apple",
        Numeric.parse("7.50")));
    // THEN it is an upsert of key [1] with Long, String and BigDecimal values
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("id", 1L);
    expected.put("name", "apple");
    expected.put("qty", new BigDecimal("7.50"));
    assertThat(decoded).isEqualTo(new SubscribeRow.Data(
        Change.upsert(List.of(1L), expected, new BigInteger("1713467628500"))));
    assertThat(((SubscribeRow.Data) decoded).change().row().keySet()).containsExactly("id", "name", "qty");
  }

  /** Verifies delete, progress and key-violation rows. */
  @Test
  void decodesDeleteProgressAndKeyViolation() {
    SubscribeRowDecoder decoder = SubscribeRowDecoder.of(ITEMS, List.of("id"));
    assertThat(decoder.decode(row(Numeric.parse("1713467630100"), false, "delete", 1, null, null)))
        .isEqualTo(new SubscribeRow.Data(Change.delete(List.of(1L), new BigInteger("1713467630100"))));
    assertThat(decoder.decode(row(Numeric.parse("18446744073709551615"), true, null, null, null, null)))
        .isEqualTo(new SubscribeRow.Progress(new BigInteger("18446744073709551615")));
    assertThat(decoder.decode(row(Numeric.parse("1713467631000"), false, "key_violation", 2, null, null)))
        .isEqualTo(new SubscribeRow.KeyViolation(List.of(2L), new BigInteger("1713467631000")));
  }

  /** Verifies that a composite key is taken in KEY order, whatever the output order. */
  @Test
  void takesCompositeKeyInKeyOrder() {
    List<ColumnDescriptor> columns = List.of(new Column("mz_timestamp", "NUMERIC"),
        new Column("mz_progressed", "BOOL"), new Column("mz_state", "TEXT"), new Column("region", "TEXT"),
        new Column("account", "INT8"), new Column("balance", "FLOAT8"));
    SubscribeRowDecoder decoder = SubscribeRowDecoder.of(columns, List.of("account", "region"));
    SubscribeRow decoded = decoder.decode(row(Numeric.parse("10"), false, "upsert", "eu", 7L, 1.5));
    assertThat(((SubscribeRow.Data) decoded).change().key()).containsExactly(7L, "eu");
  }

  /** Verifies that output without the UPSERT + PROGRESS metadata, or without the key column, is refused. */
  @Test
  void refusesUnexpectedLayout() {
    List<ColumnDescriptor> diffs = List.of(new Column("mz_timestamp", "NUMERIC"),
        new Column("mz_progressed", "BOOL"), new Column("mz_diff", "INT8"), new Column("id", "INT4"));
    assertThatThrownBy(() -> SubscribeRowDecoder.of(diffs, List.of("id")))
        .isInstanceOf(SubscribeOutputException.class);
    assertThatThrownBy(() -> SubscribeRowDecoder.of(ITEMS, List.of("sku")))
        .isInstanceOf(SubscribeOutputException.class).hasMessageContaining("sku");
    SubscribeRowDecoder decoder = SubscribeRowDecoder.of(ITEMS, List.of("id"));
    assertThatThrownBy(() -> decoder.decode(row(Numeric.parse("1"), false, "insert", 1, "a", null)))
        .isInstanceOf(SubscribeOutputException.class).hasMessageContaining("insert");
  }

  /** Verifies that the decoder recognises the same description again and notices a different one. */
  @Test
  void matchesOnlyTheSameDescription() {
    SubscribeRowDecoder decoder = SubscribeRowDecoder.of(ITEMS, List.of("id"));
    assertThat(decoder.matches(new ArrayList<>(ITEMS))).isTrue();
    List<ColumnDescriptor> changed = new ArrayList<>(ITEMS);
    changed.set(5, new Column("qty", "INT8"));
    assertThat(decoder.matches(changed)).isFalse();
  }

  /** Verifies the documented Java type for every logical column type. */
  @Test
  void decodesValuesToDocumentedJavaTypes() {
    assertThat(PgValueDecoder.decode(ColumnType.INTEGER, (short) 3)).isEqualTo(3L);
    assertThat(PgValueDecoder.decode(ColumnType.INTEGER, 4)).isEqualTo(4L);
    assertThat(PgValueDecoder.decode(ColumnType.FLOAT, 0.1f)).isEqualTo(0.1d);
    assertThat(PgValueDecoder.decode(ColumnType.NUMERIC, Numeric.parse("10250.50")))
        .isEqualTo(new BigDecimal("10250.50"));
    assertThat(PgValueDecoder.decode(ColumnType.BOOLEAN, true)).isEqualTo(true);
    assertThat(PgValueDecoder.decode(ColumnType.TEXT, "x")).isEqualTo("x");
    assertThat(PgValueDecoder.decode(ColumnType.TIMESTAMP, LocalDateTime.of(2026, 1, 15, 10, 30)))
        .isEqualTo(LocalDateTime.of(2026, 1, 15, 10, 30));
    assertThat(PgValueDecoder.decode(ColumnType.TIMESTAMPTZ,
        OffsetDateTime.of(2026, 1, 15, 12, 30, 0, 0, ZoneOffset.ofHours(2))))
        .isEqualTo(OffsetDateTime.of(2026, 1, 15, 10, 30, 0, 0, ZoneOffset.UTC));
    assertThat(PgValueDecoder.decode(ColumnType.DATE, LocalDate.of(2026, 1, 15))).isEqualTo(LocalDate.of(2026, 1, 15));
    assertThat(PgValueDecoder.decode(ColumnType.JSON, new JsonObject().put("a", 1)))
        .isEqualTo(new JsonObject().put("a", 1));
    assertThat(PgValueDecoder.decode(ColumnType.JSON, Tuple.JSON_NULL)).isNull();
    assertThat(PgValueDecoder.decode(ColumnType.OTHER, java.util.UUID.fromString(
        "3f9a0000-0000-0000-0000-000000000001"))).isEqualTo("3f9a0000-0000-0000-0000-000000000001");
    assertThat(PgValueDecoder.decode(ColumnType.OTHER, new Integer[] {1, null, 3})).isEqualTo("{1,NULL,3}");
    assertThat(PgValueDecoder.decode(ColumnType.INTEGER, null)).isNull();
  }

  /** Verifies the mapping from client type names to logical types. */
  @Test
  void mapsClientTypeNames() {
    assertThat(PgValueDecoder.columnType("INT8", 8)).isEqualTo(ColumnType.INTEGER);
    assertThat(PgValueDecoder.columnType("FLOAT4", 4)).isEqualTo(ColumnType.FLOAT);
    assertThat(PgValueDecoder.columnType("VARCHAR", -1)).isEqualTo(ColumnType.TEXT);
    assertThat(PgValueDecoder.columnType("TIMESTAMPTZ", 8)).isEqualTo(ColumnType.TIMESTAMPTZ);
    assertThat(PgValueDecoder.columnType("JSONB", -1)).isEqualTo(ColumnType.JSON);
    assertThat(PgValueDecoder.columnType("UNKNOWN", -1)).isEqualTo(ColumnType.OTHER);
    assertThat(PgValueDecoder.columnType("UNKNOWN", WireTypeLength.UNKNOWN)).isEqualTo(ColumnType.OTHER);
    assertThat(PgValueDecoder.columnType("INT4_ARRAY", -1)).isEqualTo(ColumnType.OTHER);
    assertThat(PgValueDecoder.sqlTypeName("INT4_ARRAY", -1)).isEqualTo("int4[]");
    assertThat(PgValueDecoder.sqlTypeName("UNKNOWN", -1)).isEqualTo("unknown");
  }

  /** Verifies that an unknown type of 2, 4 or 8 bytes is Materialize's uint2, uint4 or uint8, typed as a number. */
  @Test
  void mapsUnsignedIntegersByTheirLength() {
    // GIVEN the client's UNKNOWN type with the typlen Materialize sends for each unsigned type
    // THEN uint2 and uint4 are integers and uint8 (beyond a long) is numeric, each named by its server type
    assertThat(PgValueDecoder.columnType("UNKNOWN", 2)).isEqualTo(ColumnType.INTEGER);
    assertThat(PgValueDecoder.columnType("UNKNOWN", 4)).isEqualTo(ColumnType.INTEGER);
    assertThat(PgValueDecoder.columnType("UNKNOWN", 8)).isEqualTo(ColumnType.NUMERIC);
    assertThat(PgValueDecoder.sqlTypeName("UNKNOWN", 2)).isEqualTo("uint2");
    assertThat(PgValueDecoder.sqlTypeName("UNKNOWN", 4)).isEqualTo("uint4");
    assertThat(PgValueDecoder.sqlTypeName("UNKNOWN", 8)).isEqualTo("uint8");
    // AND their text forms decode to exact values
    assertThat(PgValueDecoder.decode(ColumnType.INTEGER, "4294967295")).isEqualTo(4_294_967_295L);
    assertThat(PgValueDecoder.decode(ColumnType.NUMERIC, "18446744073709551615"))
        .isEqualTo(new BigDecimal("18446744073709551615"));
  }

  /** Verifies that numeric NaN and infinities keep their value as the Double constants instead of becoming null. */
  @Test
  void keepsSpecialNumericValues() {
    assertThat(PgValueDecoder.decode(ColumnType.NUMERIC, Numeric.NaN)).isEqualTo(Double.NaN);
    assertThat(PgValueDecoder.decode(ColumnType.NUMERIC, "NaN")).isEqualTo(Double.NaN);
    assertThat(PgValueDecoder.decode(ColumnType.NUMERIC, "Infinity")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(PgValueDecoder.decode(ColumnType.NUMERIC, "-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(PgValueDecoder.decode(ColumnType.FLOAT, "-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(PgValueDecoder.decode(ColumnType.FLOAT, Float.NaN)).isEqualTo(Double.NaN);
  }

  /** Verifies that a value that does not fit its column fails the row with a fatal error naming the column. */
  @Test
  void refusesAValueThatDoesNotFitItsColumn() {
    SubscribeRowDecoder decoder = SubscribeRowDecoder.of(ITEMS, List.of("id"));
    assertThatThrownBy(() -> decoder.decode(row(Numeric.parse("1"), false, "upsert", 1, "apple", "pg_class")))
        .isInstanceOf(SubscribeOutputException.class)
        .hasMessageContaining("'qty'").hasMessageContaining("pg_class");
  }
}
