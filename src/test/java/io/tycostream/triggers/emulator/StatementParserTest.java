package io.tycostream.triggers.emulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Verifies the emulator's SQL subset parser without a server: SUBSCRIBE clause order, FETCH forms, splitting.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StatementParserTest {

  private static Statement.Declare declare(String sql) {
    return (Statement.Declare) StatementParser.parseAll(sql).get(0);
  }

  /** Verifies that trailing SUBSCRIBE clauses are accepted in any order with the same meaning. */
  @Test
  void acceptsSubscribeClausesInAnyOrder() {
    // GIVEN the same subscribe written in three clause orders
    SubscribeSpec documented = declare("DECLARE c CURSOR FOR SUBSCRIBE t ENVELOPE UPSERT (KEY (a, b)) "
        + "WITH (PROGRESS, SNAPSHOT = false) AS OF 10 UP TO 20").subscribe();
    SubscribeSpec withFirst = declare("declare c cursor for subscribe to t with (snapshot false, progress) "
        + "envelope upsert (key (a,b)) up to 20 as of 10").subscribe();
    SubscribeSpec asOfFirst = declare("DECLARE c CURSOR FOR SUBSCRIBE (SELECT * FROM materialize.public.t) "
        + "AS OF 10 WITH (PROGRESS = true, SNAPSHOT = 'false') ENVELOPE UPSERT (KEY (a, b)) UP TO 20").subscribe();
    // WHEN compared
    // THEN they are equal and carry every clause
    assertThat(withFirst).isEqualTo(documented);
    assertThat(asOfFirst).isEqualTo(documented);
    assertThat(documented).isEqualTo(new SubscribeSpec("t", List.of("a", "b"), true, false, 10L, false, 20L));
  }

  /** Verifies defaults, quoted identifiers and AS OF AT LEAST. */
  @Test
  void parsesDefaultsQuotedNamesAndAtLeast() {
    // GIVEN a minimal subscribe and one with quoted names
    SubscribeSpec minimal = declare("DECLARE c CURSOR FOR SUBSCRIBE t").subscribe();
    Statement.Declare quoted = declare("DECLARE \"My Cursor\" CURSOR FOR SUBSCRIBE \"Items\" "
        + "ENVELOPE UPSERT (KEY (\"Id\")) AS OF AT LEAST 5");
    // THEN snapshot defaults to true, progress to false; quoted names keep their case
    assertThat(minimal).isEqualTo(new SubscribeSpec("t", null, false, true, null, false, null));
    assertThat(quoted.cursor()).isEqualTo("My Cursor");
    assertThat(quoted.subscribe().object()).isEqualTo("Items");
    assertThat(quoted.subscribe().upsertKeys()).containsExactly("Id");
    assertThat(quoted.subscribe().asOfAtLeast()).isTrue();
  }

  /** Verifies FETCH counts, FORWARD/FROM/IN and timeouts. */
  @Test
  void parsesFetchForms() {
    // GIVEN several FETCH spellings
    List<Statement> fetches = StatementParser.parseAll("FETCH c; FETCH ALL c; FETCH 100 FROM c WITH (timeout='1s');"
        + " FETCH FORWARD 0 IN c; FETCH ALL c WITH (TIMEOUT = '250ms')");
    // THEN count defaults to 1, ALL is null, timeouts are in ms
    assertThat(fetches).containsExactly(new Statement.Fetch("c", 1L, null), new Statement.Fetch("c", null, null),
        new Statement.Fetch("c", 100L, 1000L), new Statement.Fetch("c", 0L, null),
        new Statement.Fetch("c", null, 250L));
  }

  /** Verifies splitting on ';' outside quotes and the error for an out-of-range FETCH timeout. */
  @Test
  void splitsOutsideQuotesAndRejectsBadTimeout() {
    // GIVEN a SET whose value contains a semicolon
    List<Statement> statements = StatementParser.parseAll("SET application_name = 'a;b'; BEGIN;;");
    // THEN two statements result, and a 2-day timeout is out of range
    assertThat(statements).containsExactly(new Statement.SetVariable("application_name", "a;b"),
        new Statement.Begin());
    assertThatThrownBy(() -> StatementParser.parseAll("FETCH ALL c WITH (timeout = '2 days')"))
        .isInstanceOf(PgException.class).hasMessage("timeout out of range");
  }

  /** Verifies interval spellings used for timeouts. */
  @Test
  void parsesIntervals() {
    // GIVEN the spellings clients send
    // THEN each maps to milliseconds; bare numbers use the caller's unit
    assertThat(IntervalParser.toMillis("2s", 1)).isEqualTo(2000);
    assertThat(IntervalParser.toMillis("5min", 1)).isEqualTo(300_000);
    assertThat(IntervalParser.toMillis("1500", 1)).isEqualTo(1500);
    assertThat(IntervalParser.toMillis("1", 1000)).isEqualTo(1000);
    assertThat(IntervalParser.toMillis("1 minute 30 seconds", 1)).isEqualTo(90_000);
    assertThat(IntervalParser.toMillis("00:00:01.5", 1)).isEqualTo(1500);
    assertThatThrownBy(() -> IntervalParser.toMillis("soon", 1)).isInstanceOf(PgException.class);
  }
}
