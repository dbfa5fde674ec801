package io.tycostream.triggers.emulator;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.emulator.EmulatorTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conformance with vertx-pg-client (scenario 12 of §10.7 and the session errors of §2.1/§10.5): authentication,
 * statement errors, and every value type through simple (text) and prepared (mixed binary/text) FETCH.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VertxClientConformanceTest {

  private static final LocalDateTime LOCAL = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000);
  private static final OffsetDateTime OFFSET = OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2));
  private static final LocalDate DATE = LocalDate.of(2024, 2, 29);

  private MaterializeEmulator emulator;
  private final List<EmulatorTestClient> clients = new ArrayList<>();

  private EmulatorTestClient startWithAllTypes(Vertx vertx) {
    emulator = await(MaterializeEmulator.start(vertx, new EmulatorOptions().setTickMs(0)));
    emulator.createView("all_types", EmulatorColumn.of("i4", PgType.INT4), EmulatorColumn.of("i8", PgType.INT8),
        EmulatorColumn.of("txt", PgType.TEXT), EmulatorColumn.of("num", PgType.NUMERIC),
        EmulatorColumn.of("flag", PgType.BOOL), EmulatorColumn.of("dbl", PgType.FLOAT8),
        EmulatorColumn.of("ts", PgType.TIMESTAMP), EmulatorColumn.of("tstz", PgType.TIMESTAMPTZ),
        EmulatorColumn.of("day", PgType.DATE), EmulatorColumn.of("doc", PgType.JSONB));
    emulator.insert("all_types", 7, 1L << 40, "héllo ✓", new BigDecimal("-12345.0067"), true, 2.5, LOCAL, OFFSET,
        DATE, "{\"a\": 1}");
    emulator.insert("all_types", null, null, null, null, null, null, null, null, null, null);
    return connect(vertx);
  }

  private EmulatorTestClient connect(Vertx vertx) {
    EmulatorTestClient client = EmulatorTestClient.connect(vertx, emulator.connectOptions());
    clients.add(client);
    return client;
  }

  @AfterEach
  void stop() {
    clients.forEach(EmulatorTestClient::close);
    if (emulator != null) {
      await(emulator.stop());
    }
  }

  private static void assertTypedRow(Row row) {
    assertThat(row.getBoolean("mz_progressed")).isFalse();
    assertThat(row.getLong("mz_diff")).isEqualTo(1L);
    assertThat(row.getInteger("i4")).isEqualTo(7);
    assertThat(row.getLong("i8")).isEqualTo(1L << 40);
    assertThat(row.getString("txt")).isEqualTo("héllo ✓");
    assertThat(row.getBigDecimal("num")).isEqualByComparingTo("-12345.0067");
    assertThat(row.getBoolean("flag")).isTrue();
    assertThat(row.getDouble("dbl")).isEqualTo(2.5);
    assertThat(row.getLocalDateTime("ts")).isEqualTo(LOCAL);
    assertThat(row.getOffsetDateTime("tstz").toInstant()).isEqualTo(OFFSET.toInstant());
    assertThat(row.getLocalDate("day")).isEqualTo(DATE);
    assertThat(row.getValue("doc")).isEqualTo(new JsonObject().put("a", 1));
  }

  private static void assertNullRow(Row row) {
    for (int i = 3; i < row.size(); i++) {
      assertThat(row.getValue(i)).as("column %s", row.getColumnName(i)).isNull();
    }
  }

  /** Verifies that every type decodes through a simple-protocol (all text) FETCH. */
  @Test
  void allTypesRoundTripThroughSimpleFetch(Vertx vertx) {
    // GIVEN a view with one row of every type and one row of NULLs
    EmulatorTestClient client = startWithAllTypes(vertx);
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE all_types WITH (PROGRESS)");
    // WHEN the snapshot is fetched with the simple protocol
    RowSet<Row> rows = client.query("FETCH 3 c");
    // THEN the progress row, then the NULL row and the typed row (NULL sorts first) decode to the written values
    Iterator<Row> it = rows.iterator();
    Row progress = it.next();
    assertThat(progress.getBoolean("mz_progressed")).isTrue();
    assertThat(progress.getLong("mz_timestamp")).isEqualTo(emulator.upper("all_types") - 1);
    assertNullRow(it.next());
    assertTypedRow(it.next());
  }

  /** Verifies the preparedQuery flow: Describe of a FETCH gives the cursor's row type, binary/text formats decode. */
  @Test
  void allTypesRoundTripThroughPreparedFetch(Vertx vertx) {
    // GIVEN the same data and a declared cursor
    EmulatorTestClient client = startWithAllTypes(vertx);
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE all_types WITH (PROGRESS)");
    // WHEN the snapshot is fetched with the extended protocol (Vert.x asks binary except for numeric)
    RowSet<Row> rows = await(client.connection.preparedQuery("FETCH ALL c WITH (timeout = '0s')").execute());
    // THEN the row type matches the cursor and every value decodes, including numeric mz_timestamp as text
    assertThat(rows.columnsNames()).startsWith("mz_timestamp", "mz_progressed", "mz_diff", "i4");
    Iterator<Row> it = rows.iterator();
    assertThat(it.next().getNumeric("mz_timestamp").bigIntegerValue().longValue())
        .isEqualTo(emulator.upper("all_types") - 1);
    assertNullRow(it.next());
    assertTypedRow(it.next());
    assertThat(it.next().getBoolean("mz_progressed")).isTrue();
  }

  /** Verifies that a cleartext password is checked: right one connects, wrong one fails with 28P01. */
  @Test
  void cleartextPasswordIsChecked(Vertx vertx) {
    // GIVEN an emulator requiring a password
    emulator = await(MaterializeEmulator.start(vertx, new EmulatorOptions().setTickMs(0).setPassword("s3cret")));
    // WHEN connecting with the right and with a wrong password
    EmulatorTestClient good = connect(vertx);
    PgException wrong = EmulatorTestClient.awaitFailure(
        PgConnection.connect(vertx, emulator.connectOptions().setPassword("nope")));
    // THEN the first works and the second is refused
    assertThat(good.rows("SHOW application_name")).containsExactly("vertx-pg-client");
    assertThat(wrong.getSqlState()).isEqualTo("28P01");
    assertThat(wrong.getErrorMessage()).isEqualTo("invalid password");
  }

  /** Verifies the DECLARE-time errors: 25P01, 42P01, 42703, 42P03, 25000, and 0A000 for other statements. */
  @Test
  void declareErrorsMatchMaterialize(Vertx vertx) {
    // GIVEN a view and a connection
    EmulatorTestClient client = startWithAllTypes(vertx);
    // WHEN declaring outside a transaction, on unknown objects/columns, twice, and a second subscribe
    PgException outside = client.queryFailure("DECLARE c CURSOR FOR SUBSCRIBE all_types");
    client.query("BEGIN");
    PgException unknownObject = client.queryFailure("DECLARE c CURSOR FOR SUBSCRIBE nope");
    client.query("ROLLBACK");
    client.query("BEGIN");
    PgException unknownKey = client.queryFailure(
        "DECLARE c CURSOR FOR SUBSCRIBE all_types ENVELOPE UPSERT (KEY (missing))");
    client.query("ROLLBACK");
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE all_types");
    PgException duplicate = client.queryFailure("DECLARE c CURSOR FOR SUBSCRIBE all_types");
    client.query("ROLLBACK");
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE all_types");
    PgException secondRead = client.queryFailure("DECLARE d CURSOR FOR SUBSCRIBE all_types");
    client.query("ROLLBACK");
    PgException select = client.queryFailure("SELECT * FROM all_types");
    // THEN each gets Materialize's SQLSTATE and text
    assertThat(outside.getSqlState()).isEqualTo("25P01");
    assertThat(outside.getErrorMessage()).isEqualTo("DECLARE CURSOR can only be used in transaction blocks");
    assertThat(unknownObject.getSqlState()).isEqualTo("42P01");
    assertThat(unknownObject.getErrorMessage()).isEqualTo("unknown catalog item 'nope'");
    assertThat(unknownKey.getSqlState()).isEqualTo("42703");
    assertThat(duplicate.getSqlState()).isEqualTo("42P03");
    assertThat(duplicate.getErrorMessage()).isEqualTo("cursor \"c\" already exists");
    assertThat(secondRead.getSqlState()).isEqualTo("25000");
    assertThat(secondRead.getErrorMessage()).isEqualTo("SUBSCRIBE in transactions must be the only read statement");
    assertThat(select.getSqlState()).isEqualTo("0A000");
  }

  /** Verifies that CLOSE and COMMIT stop the subscribe and that FETCH on a closed cursor gives 34000. */
  @Test
  void closeAndCommitStopTheSubscribe(Vertx vertx) {
    // GIVEN a started subscribe
    EmulatorTestClient client = startWithAllTypes(vertx);
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE all_types");
    client.query("FETCH 1 c");
    int whileRunning = emulator.activeSubscribes();
    // WHEN the cursor is closed, then fetched
    client.query("CLOSE c");
    PgException missing = client.queryFailure("FETCH 1 c");
    client.query("ROLLBACK");
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE all_types");
    client.query("FETCH 1 c");
    client.query("COMMIT");
    // THEN the engine ran while open and is gone after CLOSE / COMMIT
    assertThat(whileRunning).isEqualTo(1);
    assertThat(missing.getSqlState()).isEqualTo("34000");
    assertThat(emulator.activeSubscribes()).isZero();
  }
}
