package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.SourceFailure;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FailureClassifierTest {

  /** Verifies that connection-level failures are transient. */
  @Test
  void classifiesConnectionProblemsAsTransient() {
    assertThat(FailureClassifier.classify(null, "connection closed")).isEqualTo(FailureKind.TRANSIENT);
    assertThat(FailureClassifier.classify("08006", "internal I/O error")).isEqualTo(FailureKind.TRANSIENT);
    assertThat(FailureClassifier.classify("57P01", "terminating connection")).isEqualTo(FailureKind.TRANSIENT);
    assertThat(FailureClassifier.classify("25P03", "terminating connection due to idle-in-transaction timeout"))
        .isEqualTo(FailureKind.TRANSIENT);
    assertThat(FailureClassifier.classify(new VertxException("connection reset", true)))
        .isEqualTo(FailureKind.TRANSIENT);
    // Materialize Cloud's routine end of a session whose auth token expired: log in again at once
    assertThat(FailureClassifier.classify("28000", "authentication expired")).isEqualTo(FailureKind.TRANSIENT);
  }

  /** Verifies that history loss is recognised in the newer and the older Materialize form. */
  @Test
  void classifiesHistoryLostInBothProfiles() {
    // newer: 22000 ImpossibleTimestampConstraints
    assertThat(FailureClassifier.classify("22000", "could not find a valid timestamp for the query"))
        .isEqualTo(FailureKind.HISTORY_LOST);
    // older: XX000 with the timestamp text
    assertThat(FailureClassifier.classify("XX000",
        "Timestamp (1713467627903) is not valid for all inputs: [Antichain { elements: [1713467628000] }]"))
        .isEqualTo(FailureKind.HISTORY_LOST);
    // another 22000 (UP TO < AS OF) is not history loss
    assertThat(FailureClassifier.classify("22000",
        "subscription lower (\"as of\") bound is beyond its upper (\"up to\") bound: 5 < 7"))
        .isEqualTo(FailureKind.FATAL);
  }

  /** Verifies that a dropped object is recognised in the newer and the older form, and a missing view too. */
  @Test
  void classifiesObjectDroppedInBothProfiles() {
    assertThat(FailureClassifier.classify("42704", "relation 'materialize.public.t' was dropped"))
        .isEqualTo(FailureKind.OBJECT_DROPPED);
    assertThat(FailureClassifier.classify("XX000",
        "subscribe has been terminated because underlying relation \"materialize.public.t\" was dropped"))
        .isEqualTo(FailureKind.OBJECT_DROPPED);
    assertThat(FailureClassifier.classify("XX000",
        "subscribe has been terminated because underlying cluster \"c\" was dropped"))
        .isEqualTo(FailureKind.OBJECT_DROPPED);
    assertThat(FailureClassifier.classify("42P01", "unknown catalog item 'missing_view'"))
        .isEqualTo(FailureKind.OBJECT_DROPPED);
  }

  /** Verifies the remaining SQLSTATE classes. */
  @Test
  void classifiesFellBehindCanceledAndFatal() {
    assertThat(FailureClassifier.classify("53200", "subscribe fell behind")).isEqualTo(FailureKind.FELL_BEHIND);
    assertThat(FailureClassifier.classify("57014", "canceling statement due to user request"))
        .isEqualTo(FailureKind.CANCELED);
    assertThat(FailureClassifier.classify("XX000", "division by zero")).isEqualTo(FailureKind.FATAL);
    assertThat(FailureClassifier.classify("28P01", "invalid password")).isEqualTo(FailureKind.FATAL);
    assertThat(FailureClassifier.classify(new SubscribeOutputException("unknown mz_state"))).isEqualTo(
        FailureKind.FATAL);
  }

  /** Verifies that a server error keeps its SQLSTATE and its own message text in the failure record. */
  @Test
  void keepsSqlStateAndServerMessage() {
    // GIVEN an error as the pg client reports it
    PgException error = new PgException("could not find a valid timestamp for the query", "ERROR", "22000", null);
    // WHEN it becomes a failure record
    SourceFailure failure = FailureClassifier.toFailure(error, Instant.EPOCH);
    // THEN kind, SQLSTATE and message are the server's
    assertThat(failure.kind()).isEqualTo(FailureKind.HISTORY_LOST);
    assertThat(failure.sqlState()).isEqualTo("22000");
    assertThat(failure.message()).isEqualTo("could not find a valid timestamp for the query");
  }

  /** Verifies which kinds wait the slow-retry delay. */
  @Test
  void slowRetryOnlyForFailuresThatDoNotHealQuickly() {
    assertThat(FailureClassifier.needsSlowRetry(FailureKind.HISTORY_LOST)).isFalse();
    assertThat(FailureClassifier.needsSlowRetry(FailureKind.OBJECT_DROPPED)).isTrue();
    assertThat(FailureClassifier.needsSlowRetry(FailureKind.FATAL)).isTrue();
    assertThat(FailureClassifier.needsSlowRetry(FailureKind.TRANSIENT)).isFalse();
    assertThat(FailureClassifier.needsSlowRetry(FailureKind.FELL_BEHIND)).isFalse();
    assertThat(FailureClassifier.needsSlowRetry(FailureKind.CANCELED)).isFalse();
  }
}
