package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.source.ColumnType;
import io.tycostream.triggers.source.SourceColumn;
import io.tycostream.triggers.trigger.RowJson;
import io.tycostream.triggers.trigger.condition.Condition;
import io.tycostream.triggers.trigger.condition.ConditionCompiler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies, over the real wire (Materialize emulator and the Vert.x pg client, simple-protocol FETCH as the reader
 * uses it), that unsigned integer and special numeric values reach conditions and payloads as numbers.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubscribeRowDecoderWireTest {

  private static final BigInteger UINT8_MAX = new BigInteger("18446744073709551615");

  private MaterializeEmulator emulator;

  @AfterEach
  void stopEmulator(VertxTestContext test) {
    if (emulator == null) {
      test.completeNow();
      return;
    }
    emulator.stop().onComplete(test.succeedingThenComplete());
  }

  /** Verifies that uint2/uint4 decode as integers and uint8 as an exact numeric, typed in the discovered schema. */
  @Test
  void decodesUnsignedColumnsAsNumbers(Vertx vertx, VertxTestContext test) {
    // GIVEN a view with uint2, uint4 and uint8 columns holding their largest values, and a row of small values
    startEmulator(vertx).onComplete(test.succeeding(started -> {
      emulator.createView("meters", EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("small", PgType.UINT2),
          EmulatorColumn.of("medium", PgType.UINT4), EmulatorColumn.of("big", PgType.UINT8));
      emulator.insert("meters", 1, 65_535, 4_294_967_295L, UINT8_MAX);
      emulator.insert("meters", 2, 3, 4L, BigInteger.valueOf(5));

      // WHEN the reader's subscribe output is fetched and decoded
      fetchUpsertSnapshot(vertx, "meters").onComplete(test.succeeding(rows -> test.verify(() -> {
        SubscribeRowDecoder decoder = SubscribeRowDecoder.of(rows.columnDescriptors(), List.of("id"));
        // THEN the schema types them as numbers, named by their Materialize types
        assertThat(decoder.schema().columns()).containsExactly(
            new SourceColumn("id", ColumnType.INTEGER, "int4"),
            new SourceColumn("small", ColumnType.INTEGER, "uint2"),
            new SourceColumn("medium", ColumnType.INTEGER, "uint4"),
            new SourceColumn("big", ColumnType.NUMERIC, "uint8"));
        Map<String, Object> largest = dataRow(decoder, rows, 1L);
        assertThat(largest).containsEntry("small", 65_535L).containsEntry("medium", 4_294_967_295L)
            .containsEntry("big", new BigDecimal(UINT8_MAX));
        // AND a condition compares them numerically, also beyond Long.MAX_VALUE
        Condition bigAboveLong = ConditionCompiler.compile(new JsonObject("{\"big\": {\"_gt\": "
            + Long.MAX_VALUE + "}}"), decoder.schema(), "fire");
        Condition mediumAboveFour = ConditionCompiler.compile(new JsonObject("{\"medium\": {\"_gt\": 4}}"),
            decoder.schema(), "fire");
        assertThat(bigAboveLong.matches(largest)).isTrue();
        assertThat(bigAboveLong.matches(dataRow(decoder, rows, 2L))).isFalse();
        assertThat(mediumAboveFour.matches(largest)).isTrue();
        assertThat(mediumAboveFour.matches(dataRow(decoder, rows, 2L))).isFalse();
        // AND the payload shows JSON numbers, every digit kept
        assertThat(RowJson.encode(largest))
            .isEqualTo("{\"id\":1,\"small\":65535,\"medium\":4294967295,\"big\":18446744073709551615}");
        test.completeNow();
      })));
    }));
  }

  /** Verifies that a numeric NaN and float NaN/±Infinity keep their value through decoding into the payload. */
  @Test
  void keepsSpecialNumericAndFloatValues(Vertx vertx, VertxTestContext test) {
    // GIVEN a view whose numeric column holds NaN and whose float column holds NaN, Infinity and -Infinity
    startEmulator(vertx).onComplete(test.succeeding(started -> {
      emulator.createView("ratios", EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("amount", PgType.NUMERIC),
          EmulatorColumn.of("ratio", PgType.FLOAT8));
      emulator.insert("ratios", 1, Double.NaN, Double.NaN);
      emulator.insert("ratios", 2, new BigDecimal("1.5"), Double.POSITIVE_INFINITY);
      emulator.insert("ratios", 3, new BigDecimal("-2"), Double.NEGATIVE_INFINITY);

      // WHEN the subscribe output is fetched and decoded
      fetchUpsertSnapshot(vertx, "ratios").onComplete(test.succeeding(rows -> test.verify(() -> {
        SubscribeRowDecoder decoder = SubscribeRowDecoder.of(rows.columnDescriptors(), List.of("id"));
        // THEN the payloads carry "NaN", "Infinity" and "-Infinity" rather than null
        assertThat(RowJson.encode(dataRow(decoder, rows, 1L)))
            .isEqualTo("{\"id\":1,\"amount\":\"NaN\",\"ratio\":\"NaN\"}");
        assertThat(RowJson.encode(dataRow(decoder, rows, 2L)))
            .isEqualTo("{\"id\":2,\"amount\":1.5,\"ratio\":\"Infinity\"}");
        assertThat(RowJson.encode(dataRow(decoder, rows, 3L)))
            .isEqualTo("{\"id\":3,\"amount\":-2,\"ratio\":\"-Infinity\"}");
        // AND a numeric NaN sorts above every number, as in PostgreSQL
        Condition above = ConditionCompiler.compile(new JsonObject("{\"amount\": {\"_gt\": 1000000}}"),
            decoder.schema(), "fire");
        assertThat(above.matches(dataRow(decoder, rows, 1L))).isTrue();
        assertThat(above.matches(dataRow(decoder, rows, 2L))).isFalse();
        test.completeNow();
      })));
    }));
  }

  private Future<Void> startEmulator(Vertx vertx) {
    return MaterializeEmulator.start(vertx, new EmulatorOptions().setTickMs(0)).map(started -> {
      emulator = started;
      return null;
    });
  }

  /** The reader's statements: an UPSERT + PROGRESS cursor with a snapshot, fetched once with the simple protocol. */
  private Future<RowSet<Row>> fetchUpsertSnapshot(Vertx vertx, String view) {
    return PgConnection.connect(vertx, emulator.connectOptions()).compose(connection -> connection.query("BEGIN")
        .execute()
        .compose(begun -> connection.query("DECLARE c CURSOR FOR SUBSCRIBE " + view
            + " ENVELOPE UPSERT (KEY (id)) WITH (PROGRESS, SNAPSHOT = true)").execute())
        .compose(declared -> connection.query("FETCH ALL c WITH (timeout = '0ms')").execute())
        .eventually(() -> connection.close()));
  }

  private static Map<String, Object> dataRow(SubscribeRowDecoder decoder, RowSet<Row> rows, long id) {
    List<Map<String, Object>> found = new ArrayList<>();
    for (Row row : rows) {
      if (decoder.decode(row) instanceof SubscribeRow.Data data && List.of(id).equals(data.change().key())) {
        found.add(data.change().row());
      }
    }
    assertThat(found).as("upsert rows of id %s", id).hasSize(1);
    return found.get(0);
  }
}
