package io.tycostream.triggers.emulator;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.emulator.EmulatorTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte-level conformance of the emulator's pgwire (spec §2.4, §6, §8.3, §10.6) checked with a raw socket client.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WireProtocolConformanceTest {

  private static final long T0 = 1_713_467_627_000L;

  private Vertx vertx;
  private MaterializeEmulator emulator;
  private final List<RawWireClient> clients = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    emulator = await(MaterializeEmulator.start(vertx, new EmulatorOptions().setTickMs(0).setStartTime(T0)));
    emulator.createTable("items", EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("name", PgType.TEXT));
    emulator.insert("items", 1, "apple");
  }

  @AfterEach
  void stop() {
    clients.forEach(RawWireClient::close);
    await(emulator.stop());
  }

  private RawWireClient connect(List<RawWireClient.Message> startup) {
    RawWireClient client = RawWireClient.connect(vertx, emulator.port(), startup);
    clients.add(client);
    return client;
  }

  private static String text(Buffer value) {
    return value == null ? null : value.toString(StandardCharsets.UTF_8);
  }

  /** Verifies SSLRequest is refused with 'N' and startup sends AuthenticationOk, the §6.1 set, key data, 'I'. */
  @Test
  void startupAnswersSslRefusalAndParameterStatusSet() {
    // GIVEN a raw connection asking for TLS first
    RawWireClient client = RawWireClient.open(vertx, emulator.port());
    clients.add(client);
    client.sendUntyped(80877103);
    RawWireClient.Message sslAnswer = client.next(5000);
    // WHEN it continues with a plain protocol-3 startup
    client.sendStartup("user", "materialize", "database", "materialize", "application_name", "raw-test");
    List<RawWireClient.Message> startup = client.readUntil('Z');
    // THEN it sees 'N', then R(0), S…, K, Z('I') with Materialize's parameter values
    assertThat(sslAnswer.type()).isEqualTo('N');
    assertThat(RawWireClient.types(startup)).isEqualTo("RSSSSSSSSSSSSSKZ");
    assertThat(startup.get(0).body().getInt(0)).isZero();
    Map<String, String> parameters = new LinkedHashMap<>();
    for (RawWireClient.Message message : startup.subList(1, 14)) {
      String name = message.cstring(0);
      parameters.put(name, message.cstring(name.getBytes(StandardCharsets.UTF_8).length + 1));
    }
    assertThat(parameters).containsEntry("server_version", "9.5.0").containsEntry("application_name", "raw-test")
        .containsEntry("TimeZone", "UTC").containsEntry("cluster", "quickstart").containsKey("mz_version");
    assertThat(parameters.keySet()).startsWith("application_name", "client_encoding", "DateStyle");
    assertThat(startup.get(15).body().getByte(0)).isEqualTo((byte) 'I');
    assertThat(emulator.connectionIds()).contains(startup.get(14).body().getInt(0));
  }

  /** Verifies the simple-protocol FETCH trace of §8.3: RowDescription with typmod, DataRows, "FETCH n", 'T'. */
  @Test
  void simpleFetchTraceMatchesSpec() {
    // GIVEN a declared upsert subscribe
    RawWireClient client = connect(new ArrayList<>());
    assertThat(RawWireClient.types(client.query("BEGIN"))).isEqualTo("CZ");
    List<RawWireClient.Message> declare =
        client.query("DECLARE c CURSOR FOR SUBSCRIBE items ENVELOPE UPSERT (KEY (id)) WITH (PROGRESS)");
    // WHEN fetching the snapshot
    List<RawWireClient.Message> fetch = client.query("FETCH ALL c WITH (timeout = '0s')");
    // THEN the message sequence, tags, RowDescription fields and text values are Materialize's
    assertThat(declare.get(0).cstring(0)).isEqualTo("DECLARE CURSOR");
    assertThat(RawWireClient.types(fetch)).isEqualTo("TDDDCZ");
    Buffer description = fetch.get(0).body();
    assertThat(description.getShort(0)).isEqualTo((short) 5);
    assertThat(fetch.get(0).cstring(2)).isEqualTo("mz_timestamp");
    int afterName = 2 + "mz_timestamp".length() + 1;
    assertThat(description.getInt(afterName + 6)).isEqualTo(1700);
    assertThat(description.getShort(afterName + 10)).isEqualTo((short) -1);
    assertThat(description.getInt(afterName + 12)).isEqualTo(2555908);
    assertThat(fetch.get(1).columns().stream().map(WireProtocolConformanceTest::text).toList())
        .containsExactly(String.valueOf(T0 + 1), "t", null, null, null);
    assertThat(fetch.get(2).columns().stream().map(WireProtocolConformanceTest::text).toList())
        .containsExactly(String.valueOf(T0 + 1), "f", "upsert", "1", "apple");
    assertThat(fetch.get(4).cstring(0)).isEqualTo("FETCH 3");
    assertThat(fetch.get(5).body().getByte(0)).isEqualTo((byte) 'T');
  }

  /** Verifies that COMMIT of a failed transaction answers the ROLLBACK tag and status goes E then I. */
  @Test
  void commitOfFailedTransactionAnswersRollback() {
    // GIVEN a transaction failed by an unknown cursor
    RawWireClient client = connect(new ArrayList<>());
    client.query("BEGIN");
    List<RawWireClient.Message> failed = client.query("FETCH ALL nope");
    List<RawWireClient.Message> ignored = client.query("SHOW application_name");
    // WHEN committing
    List<RawWireClient.Message> commit = client.query("COMMIT");
    // THEN 34000, then 25P02, and COMMIT answers ROLLBACK with status I
    assertThat(failed.get(0).field('C')).isEqualTo("34000");
    assertThat(failed.get(0).field('M')).isEqualTo("cursor \"nope\" does not exist");
    assertThat(failed.get(1).body().getByte(0)).isEqualTo((byte) 'E');
    assertThat(ignored.get(0).field('C')).isEqualTo("25P02");
    assertThat(commit.get(0).cstring(0)).isEqualTo("ROLLBACK");
    assertThat(commit.get(1).body().getByte(0)).isEqualTo((byte) 'I');
  }

  /** Verifies a multi-statement query, an empty query, and that an error skips the rest of an implicit block. */
  @Test
  void multiStatementAndEmptyQueries() {
    // GIVEN a connection
    RawWireClient client = connect(new ArrayList<>());
    // WHEN sending several statements in one Query, an empty Query, and an implicit block with an error
    List<RawWireClient.Message> several = client.query("BEGIN; DECLARE c CURSOR FOR SUBSCRIBE items; "
        + "FETCH 1 c WITH (timeout='0s'); CLOSE c; COMMIT");
    List<RawWireClient.Message> empty = client.query(" ; ");
    List<RawWireClient.Message> broken = client.query("SET application_name = 'x'; SELECT 1; SET cluster = 'y'");
    // THEN each statement completes, the empty query answers 'I', and the statement after the error is skipped
    assertThat(RawWireClient.types(several)).isEqualTo("CCTDCCCZ");
    assertThat(several.get(4).cstring(0)).isEqualTo("FETCH 1");
    assertThat(several.get(5).cstring(0)).isEqualTo("CLOSE CURSOR");
    assertThat(RawWireClient.types(empty)).isEqualTo("IZ");
    assertThat(RawWireClient.types(broken)).isEqualTo("SCEZ");
    assertThat(broken.get(2).field('C')).isEqualTo("0A000");
    assertThat(RawWireClient.types(client.query("SHOW cluster"))).isEqualTo("TDCZ");
    assertThat(text(client.query("SHOW cluster").get(1).columns().get(0))).isEqualTo("quickstart");
  }

  /** Verifies that Execute with max_rows on a FETCH is rejected with 0A000 and messages are discarded until Sync. */
  @Test
  void executeWithMaxRowsOnFetchIsRejected() {
    // GIVEN a declared cursor and an extended-protocol FETCH ALL
    RawWireClient client = connect(new ArrayList<>());
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE items");
    // WHEN it is executed with max_rows = 10, followed by another Execute before Sync
    client.send('P', RawWireClient.cstrings("", "FETCH ALL c").appendShort((short) 0));
    client.send('B', RawWireClient.cstrings("", "").appendShort((short) 0).appendShort((short) 0)
        .appendShort((short) 0));
    client.send('E', RawWireClient.cstrings("").appendInt(10));
    client.send('E', RawWireClient.cstrings("").appendInt(0));
    client.send('S', Buffer.buffer());
    List<RawWireClient.Message> answer = client.readUntil('Z');
    // THEN Parse and Bind complete, the Execute fails, the second Execute is discarded, and the txn is failed
    assertThat(RawWireClient.types(answer)).isEqualTo("12EZ");
    assertThat(answer.get(2).field('C')).isEqualTo("0A000");
    assertThat(answer.get(2).field('M')).isEqualTo("Execute with max_rows of a FETCH ALL is not supported");
    assertThat(answer.get(3).body().getByte(0)).isEqualTo((byte) 'E');
  }

  /** Verifies binary encodings of the metadata columns, including Materialize's numeric form (§6.3). */
  @Test
  void binaryResultFormatsFollowBind() {
    // GIVEN a PROGRESS diffs cursor with a known timestamp
    RawWireClient client = connect(new ArrayList<>());
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE items WITH (PROGRESS) AS OF 1713467628500");
    emulator.advance("items", 1713467628501L);
    // WHEN fetched with all-binary result formats through Describe(P)
    client.send('P', RawWireClient.cstrings("", "FETCH 2 c").appendShort((short) 0));
    client.send('B', RawWireClient.cstrings("", "").appendShort((short) 0).appendShort((short) 0)
        .appendShort((short) 1).appendShort((short) 1));
    client.send('D', Buffer.buffer().appendByte((byte) 'P').appendBuffer(RawWireClient.cstrings("")));
    client.send('E', RawWireClient.cstrings("").appendInt(0));
    client.send('S', Buffer.buffer());
    List<RawWireClient.Message> answer = client.readUntil('Z');
    // THEN numeric, bool, int8, int4 and text come in PostgreSQL binary form
    assertThat(RawWireClient.types(answer)).isEqualTo("12TDDCZ");
    List<Buffer> progress = answer.get(3).columns();
    assertThat(progress.get(0).getBytes()).containsExactly(0, 4, 0, 3, 0, 0, 0, 0, 0, 1, 0x1B, 0xDE, 0x1A, 0x6A,
        0x21, 0x34);
    assertThat(progress.get(1).getBytes()).containsExactly(1);
    List<Buffer> data = answer.get(4).columns();
    assertThat(data.get(1).getBytes()).containsExactly(0);
    assertThat(data.get(2).getLong(0)).isEqualTo(1L);
    assertThat(data.get(3).getInt(0)).isEqualTo(1);
    assertThat(text(data.get(4))).isEqualTo("apple");
  }

  /** Verifies that a wrong startup protocol version is refused with FATAL 08004. */
  @Test
  void unsupportedProtocolVersionIsRefused() {
    // GIVEN a raw connection
    RawWireClient client = RawWireClient.open(vertx, emulator.port());
    clients.add(client);
    // WHEN it asks for protocol 2.0
    client.sendUntyped(131072);
    RawWireClient.Message answer = client.next(5000);
    // THEN it gets a FATAL 08004 and the connection closes
    assertThat(answer.type()).isEqualTo('E');
    assertThat(answer.field('C')).isEqualTo("08004");
    assertThat(answer.field('S')).isEqualTo("FATAL");
    assertThat(client.awaitClosed()).isTrue();
  }

  /** Verifies that rows queued before a mid-stream error are sent, then ErrorResponse without CommandComplete. */
  @Test
  void errorMidFetchKeepsSentRowsAndFailsTransaction() {
    // GIVEN a subscribe with a queued change, then a drop
    RawWireClient client = connect(new ArrayList<>());
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE items WITH (PROGRESS)");
    client.query("FETCH ALL c WITH (timeout = '0s')");
    emulator.insert("items", 2, "pear");
    emulator.drop("items");
    // WHEN fetching
    List<RawWireClient.Message> fetch = client.query("FETCH ALL c");
    // THEN RowDescription, the data row and its progress row, then the error and status 'E'
    assertThat(RawWireClient.types(fetch)).isEqualTo("TDDEZ");
    assertThat(text(fetch.get(1).columns().get(4))).isEqualTo("pear");
    assertThat(fetch.get(3).field('C')).isEqualTo("42704");
    assertThat(fetch.get(4).body().getByte(0)).isEqualTo((byte) 'E');
  }

  /** Verifies that a CancelRequest with a wrong secret is ignored and the right one cancels with 57014. */
  @Test
  void cancelRequestNeedsMatchingSecret() {
    // GIVEN a FETCH blocked on a quiet subscribe without PROGRESS
    List<RawWireClient.Message> startup = new ArrayList<>();
    RawWireClient client = connect(startup);
    RawWireClient.Message keyData = startup.get(startup.size() - 2);
    int processId = keyData.body().getInt(0);
    int secret = keyData.body().getInt(4);
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE items");
    client.query("FETCH ALL c WITH (timeout = '0s')");
    client.send('Q', RawWireClient.cstrings("FETCH ALL c"));
    assertThat(client.next(5000).type()).isEqualTo('T');
    // WHEN a cancel with a wrong secret, then one with the right secret arrive on new sockets
    RawWireClient wrong = RawWireClient.open(vertx, emulator.port());
    clients.add(wrong);
    wrong.sendUntyped(80877102, processId, secret + 1);
    assertThat(wrong.awaitClosed()).isTrue();
    RawWireClient.Message afterWrong = client.next(200);
    RawWireClient right = RawWireClient.open(vertx, emulator.port());
    clients.add(right);
    right.sendUntyped(80877102, processId, secret);
    List<RawWireClient.Message> answer = client.readUntil('Z');
    // THEN only the right one ends the FETCH, with 57014 and a failed transaction
    assertThat(afterWrong).isNull();
    assertThat(RawWireClient.types(answer)).isEqualTo("EZ");
    assertThat(answer.get(0).field('C')).isEqualTo("57014");
    assertThat(answer.get(1).body().getByte(0)).isEqualTo((byte) 'E');
  }

  /** Verifies that a subscribe whose reader falls behind the buffer cap fails with 53200. */
  @Test
  void bufferCapFailsSlowReaderWith53200() {
    // GIVEN a cap of 5 buffered rows (emulator restarted with the option)
    await(emulator.stop());
    emulator = await(MaterializeEmulator.start(vertx, new EmulatorOptions().setTickMs(0).setMaxBufferedRows(5)));
    emulator.createTable("items", EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("name", PgType.TEXT));
    RawWireClient client = connect(new ArrayList<>());
    client.query("BEGIN");
    client.query("DECLARE c CURSOR FOR SUBSCRIBE items");
    client.query("FETCH ALL c WITH (timeout = '0s')");
    // WHEN ten rows arrive without being fetched
    for (int i = 0; i < 10; i++) {
      emulator.insert("items", i, "x");
    }
    List<RawWireClient.Message> fetch = client.query("FETCH ALL c");
    // THEN the buffered rows are delivered, then 53200
    assertThat(RawWireClient.types(fetch)).matches("TD+EZ");
    assertThat(fetch.get(fetch.size() - 2).field('C')).isEqualTo("53200");
    assertThat(emulator.activeSubscribes()).isZero();
  }

  /** Verifies a plain streaming SUBSCRIBE: notice, RowDescription, rows as they come, "SELECT n" once UP TO passes. */
  @Test
  void plainSubscribeStreamsUntilUpTo() {
    // GIVEN one existing row at T0+1 and a plain SUBSCRIBE up to T0+3
    RawWireClient client = connect(new ArrayList<>());
    client.send('Q', RawWireClient.cstrings("SUBSCRIBE items WITH (PROGRESS) UP TO " + (T0 + 3)));
    List<RawWireClient.Message> head = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      head.add(client.next(5000));
    }
    // WHEN a second row arrives and the upper passes UP TO
    emulator.insert("items", 2, "pear");
    emulator.advance("items", T0 + 10);
    List<RawWireClient.Message> tail = client.readUntil('Z');
    // THEN the stream is: notice, description, progress + snapshot, then the new row and completion
    assertThat(RawWireClient.types(head)).isEqualTo("NTDD");
    assertThat(head.get(0).field('C')).isEqualTo("01000");
    assertThat(RawWireClient.types(tail)).isEqualTo("DDCZ");
    assertThat(text(tail.get(1).columns().get(4))).isEqualTo("pear");
    assertThat(tail.get(2).cstring(0)).isEqualTo("SELECT 4");
    assertThat(tail.get(3).body().getByte(0)).isEqualTo((byte) 'I');
    assertThat(emulator.activeSubscribes()).isZero();
  }
}
