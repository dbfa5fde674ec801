package io.tycostream.triggers.trigger;

import io.tycostream.triggers.trigger.condition.ConditionCompiler;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.trigger.TriggerFixtures.SCORES;
import static io.tycostream.triggers.trigger.TriggerFixtures.deleteScore;
import static io.tycostream.triggers.trigger.TriggerFixtures.scoreRow;
import static io.tycostream.triggers.trigger.TriggerFixtures.upsertScore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Verifies batch evaluation against committed state: the state delta, baselines and reconciliation. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BatchEvaluationTest {

  private final TriggerStateMachine machine = new TriggerStateMachine("score_alert",
    ConditionCompiler.compile(new JsonObject("{\"score\": {\"_gte\": 100}}"), SCORES, "fire"),
    ConditionCompiler.compile(new JsonObject("{\"score\": {\"_lt\": 90}}"), SCORES, "clear"));

  private static MatchedKeyState matched(long id, long score) {
    return new MatchedKeyState(List.of(id), scoreRow(id, score, true));
  }

  /** Verifies that the delta removes only keys that were committed as matched, and upserts keys still matched. */
  @Test
  void deltaRemovesOnlyCommittedKeys() {
    // GIVEN key 1 and 3 committed as matched
    Map<String, MatchedKeyState> committed = Map.of("[1]", matched(1, 150), "[3]", matched(3, 150));
    // WHEN key 1 clears, key 2 fires and clears within the batch, key 3 stays matched with a new row
    BatchEvaluation evaluation = machine.evaluate(List.of(
      upsertScore(1, 50L, true, 10), upsertScore(2, 120L, true, 11), upsertScore(3, 95L, true, 12),
      deleteScore(2, 13)), MatchedKeyLookup.of(committed));
    // THEN
    assertThat(evaluation.events()).extracting(TriggerEvent::type, TriggerEvent::key).containsExactly(
      tuple(EventType.CLEAR, List.of(1L)), tuple(EventType.FIRE, List.of(2L)), tuple(EventType.CLEAR, List.of(2L)));
    assertThat(evaluation.delta().removals()).containsExactly("[1]");
    assertThat(evaluation.delta().upserts()).containsOnlyKeys("[3]");
    assertThat(evaluation.delta().upserts().get("[3]").lastRow()).isEqualTo(scoreRow(3, 95L, true));
  }

  /** Verifies that a batch without effect leaves the state unchanged. */
  @Test
  void unchangedStatesEmitNothing() {
    BatchEvaluation evaluation = machine.evaluate(List.of(upsertScore(1, 50L, true, 1), deleteScore(2, 2)),
      MatchedKeyLookup.NONE);
    assertThat(evaluation.events()).isEmpty();
    assertThat(evaluation.delta().isEmpty()).isTrue();
  }

  /** Verifies that two changes of one key at one timestamp count as the last one only, so ids stay unique. */
  @Test
  void lastChangeAtOneTimestampWins() {
    // GIVEN key 1 matched; a delete and a re-insert of key 1 at the same timestamp (a key update)
    Map<String, MatchedKeyState> committed = Map.of("[1]", matched(1, 150));
    BatchEvaluation evaluation = machine.evaluate(List.of(deleteScore(1, 5), upsertScore(1, 130L, true, 5),
      upsertScore(2, 120L, true, 5), upsertScore(2, 10L, true, 5)), MatchedKeyLookup.of(committed));
    // THEN no CLEAR/FIRE pair for key 1, nothing for key 2, key 1 keeps its new row
    assertThat(evaluation.events()).isEmpty();
    assertThat(evaluation.delta().upserts()).containsOnlyKeys("[1]");
    assertThat(evaluation.delta().upserts().get("[1]").lastRow()).isEqualTo(scoreRow(1, 130L, true));
    assertThat(evaluation.delta().removals()).isEmpty();
  }

  /** Verifies that a baseline records matching rows as matched without events by default. */
  @Test
  void baselineRecordsMatchesSilently() {
    List<io.tycostream.triggers.source.Change> snapshot = List.of(upsertScore(1, 150L, true, 100),
      upsertScore(2, 50L, true, 100), upsertScore(3, 120L, false, 100));
    BatchEvaluation silent = machine.baseline(snapshot, false);
    assertThat(silent.events()).isEmpty();
    assertThat(silent.delta().upserts()).containsOnlyKeys("[1]", "[3]");
    BatchEvaluation withSnapshot = machine.baseline(snapshot, true);
    assertThat(withSnapshot.events()).extracting(TriggerEvent::type, TriggerEvent::key, TriggerEvent::sourceTimestamp)
      .containsExactly(tuple(EventType.FIRE, List.of(1L), BigInteger.valueOf(100)),
        tuple(EventType.FIRE, List.of(3L), BigInteger.valueOf(100)));
    assertThat(withSnapshot.delta()).isEqualTo(silent.delta());
  }

  /** Verifies that reconciling with a snapshot fires new matches and clears keys that cleared or vanished. */
  @Test
  void reconcileFiresNewAndClearsGoneKeys() {
    // GIVEN keys 1, 2, 3 committed as matched
    Map<String, MatchedKeyState> committed = Map.of("[1]", matched(1, 150), "[2]", matched(2, 150),
      "[3]", matched(3, 170));
    // WHEN the snapshot at 200 has 1 still matching, 2 cleared, 4 newly matching, and no 3
    BatchEvaluation evaluation = machine.reconcile(List.of(upsertScore(1, 140L, true, 200),
      upsertScore(2, 80L, true, 200), upsertScore(4, 130L, true, 200)), committed, BigInteger.valueOf(200));
    // THEN
    assertThat(evaluation.events()).extracting(TriggerEvent::type, TriggerEvent::key, TriggerEvent::data)
      .containsExactly(tuple(EventType.CLEAR, List.of(2L), scoreRow(2, 80L, true)),
        tuple(EventType.FIRE, List.of(4L), scoreRow(4, 130L, true)),
        tuple(EventType.CLEAR, List.of(3L), scoreRow(3, 170L, true)));
    assertThat(evaluation.events()).extracting(TriggerEvent::sourceTimestamp).containsOnly(BigInteger.valueOf(200));
    assertThat(evaluation.delta().removals()).containsExactlyInAnyOrder("[2]", "[3]");
    assertThat(evaluation.delta().upserts()).containsOnlyKeys("[1]", "[4]");
  }
}
