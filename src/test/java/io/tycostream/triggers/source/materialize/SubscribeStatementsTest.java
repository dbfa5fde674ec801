package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.source.ResumePosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubscribeStatementsTest {

  /** Verifies that a first start subscribes with a snapshot and no AS OF. */
  @Test
  void declaresSnapshotSubscribeWithoutAsOf() {
    // GIVEN no durable checkpoint
    // WHEN the DECLARE is built
    String sql = SubscribeStatements.declare("orders", List.of("id"), ResumePosition.snapshot());
    // THEN it asks for progress and a snapshot, in the documented clause order
    assertThat(sql).isEqualTo("DECLARE tycostream_subscribe CURSOR FOR SUBSCRIBE \"orders\""
        + " ENVELOPE UPSERT (KEY (\"id\")) WITH (PROGRESS, SNAPSHOT = true)");
  }

  /** Verifies that a resume after F uses AS OF F-1 without a snapshot, so the updates at exactly F are kept. */
  @Test
  void resumesAsOfFrontierMinusOne() {
    // GIVEN a durable frontier 1713467629000
    ResumePosition position = ResumePosition.after(new BigInteger("1713467629000"));
    // WHEN the DECLARE is built
    String sql = SubscribeStatements.declare("orders", List.of("id"), position);
    // THEN it resumes one below the frontier
    assertThat(sql).endsWith(" WITH (PROGRESS, SNAPSHOT = false) AS OF 1713467628999");
  }

  /** Verifies that a snapshot at F reads AS OF F-1 with a snapshot, bounded by UP TO F. */
  @Test
  void snapshotAtFrontierReadsAsOfFrontierMinusOneUpToFrontier() {
    // GIVEN a committed frontier 1713467629000
    BigInteger frontier = new BigInteger("1713467629000");
    // WHEN the snapshot DECLARE is built
    String sql = SubscribeStatements.snapshotAt("orders", List.of("id"), frontier);
    // THEN it asks for progress and a snapshot at F-1, and ends the stream at F
    assertThat(sql).isEqualTo("DECLARE tycostream_subscribe CURSOR FOR SUBSCRIBE \"orders\""
        + " ENVELOPE UPSERT (KEY (\"id\")) WITH (PROGRESS, SNAPSHOT = true) AS OF 1713467628999 UP TO 1713467629000");
    // AND a FETCH for a bounded stream waits for rows without a timeout
    assertThat(SubscribeStatements.fetchWaiting(500)).isEqualTo("FETCH 500 tycostream_subscribe");
  }

  /** Verifies that a snapshot frontier of zero (no AS OF below it) is refused. */
  @Test
  void rejectsSnapshotFrontierBelowOne() {
    assertThatThrownBy(() -> SubscribeStatements.snapshotAt("orders", List.of("id"), BigInteger.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Verifies that a qualified view and composite key are quoted part by part, embedded quotes doubled. */
  @Test
  void quotesEachIdentifierPartAndEscapesQuotes() {
    // GIVEN a schema-qualified view, a mixed-case key column and a key column holding a quote
    // WHEN the DECLARE is built
    String sql = SubscribeStatements.declare("public.my_view", List.of("Account", "we\"ird"),
        ResumePosition.snapshot());
    // THEN every identifier is quoted on its own
    assertThat(sql).contains("SUBSCRIBE \"public\".\"my_view\" ENVELOPE UPSERT (KEY (\"Account\", \"we\"\"ird\"))");
  }

  /** Verifies that an injection attempt stays inside one quoted identifier. */
  @Test
  void keepsInjectionInsideTheIdentifier() {
    // GIVEN a view name trying to close the identifier and add a statement
    String quoted = SubscribeStatements.quoteIdentifier("x\"; DROP TABLE t; --");
    // THEN the quote is doubled and the whole text stays one identifier
    assertThat(quoted).isEqualTo("\"x\"\"; DROP TABLE t; --\"");
  }

  /** Verifies that empty names and parts are rejected. */
  @Test
  void rejectsEmptyIdentifiers() {
    assertThatThrownBy(() -> SubscribeStatements.quoteQualifiedName("public.")).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> SubscribeStatements.quoteQualifiedName(" ")).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> SubscribeStatements.declare("v", List.of(), ResumePosition.snapshot()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Verifies that a fresh snapshot asks for any time at or after notBefore - 1 (AS OF AT LEAST, never UP TO), and for
   * the newest time when there is no lower bound.
   */
  @Test
  void freshSnapshotReadsAsOfAtLeastNotBeforeMinusOne() {
    // GIVEN a lowest acceptable frontier 1713467629000
    BigInteger notBefore = new BigInteger("1713467629000");
    // WHEN the fresh-snapshot DECLAREs are built with and without it
    String bounded = SubscribeStatements.snapshotAtLeast("orders", List.of("id"), notBefore);
    String newest = SubscribeStatements.snapshotAtLeast("orders", List.of("id"), null);
    // THEN the first reads at least one below it, the second lets the server pick; both snapshot with progress
    assertThat(bounded).isEqualTo("DECLARE tycostream_subscribe CURSOR FOR SUBSCRIBE \"orders\""
        + " ENVELOPE UPSERT (KEY (\"id\")) WITH (PROGRESS, SNAPSHOT = true) AS OF AT LEAST 1713467628999");
    assertThat(newest).isEqualTo("DECLARE tycostream_subscribe CURSOR FOR SUBSCRIBE \"orders\""
        + " ENVELOPE UPSERT (KEY (\"id\")) WITH (PROGRESS, SNAPSHOT = true)");
    assertThatThrownBy(() -> SubscribeStatements.snapshotAtLeast("orders", List.of("id"), BigInteger.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Verifies that FETCH carries the count and a millisecond timeout, that without a timeout it waits for the first
   * row, and that the keep-alive fetches nothing.
   */
  @Test
  void buildsFetchAndKeepAlive() {
    assertThat(SubscribeStatements.fetch(1000, Duration.ofSeconds(1)))
        .isEqualTo("FETCH 1000 tycostream_subscribe WITH (timeout = '1000ms')");
    assertThat(SubscribeStatements.fetch(1000, null)).isEqualTo("FETCH 1000 tycostream_subscribe");
    assertThat(SubscribeStatements.keepAlive()).isEqualTo("FETCH 0 tycostream_subscribe");
    assertThat(SubscribeStatements.close()).isEqualTo("CLOSE tycostream_subscribe");
  }
}
