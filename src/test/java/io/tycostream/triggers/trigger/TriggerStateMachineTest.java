package io.tycostream.triggers.trigger;

import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.trigger.condition.ConditionException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.trigger.TriggerFixtures.SCORES;
import static io.tycostream.triggers.trigger.TriggerFixtures.deleteScore;
import static io.tycostream.triggers.trigger.TriggerFixtures.scoreRow;
import static io.tycostream.triggers.trigger.TriggerFixtures.upsertScore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Verifies that keys FIRE and CLEAR by the rules of design.md §1, one batch at a time. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TriggerStateMachineTest {

  private static final String FIRE = "{\"score\": {\"_gte\": 100}}";
  private static final String CLEAR = "{\"score\": {\"_lt\": 90}, \"active\": {\"_eq\": false}}";

  private static TriggerStateMachine machine(String fire, String clear) {
    return TriggerStateMachine.compile("score_alert", SCORES, new JsonObject(fire),
      clear == null ? null : new JsonObject(clear));
  }

  /** Runs each change as its own batch against a state map, as the evaluator and store would. */
  private static List<TriggerEvent> runOneByOne(TriggerStateMachine machine, Change... changes) {
    Map<String, MatchedKeyState> state = new HashMap<>();
    List<TriggerEvent> events = new ArrayList<>();
    for (Change change : changes) {
      BatchEvaluation evaluation = machine.evaluate(List.of(change), MatchedKeyLookup.of(state));
      events.addAll(evaluation.events());
      state.putAll(evaluation.delta().upserts());
      evaluation.delta().removals().forEach(state::remove);
    }
    return events;
  }

  /** Verifies tycostream's integration scenario: hysteresis, re-fire, a second key, and CLEAR on delete. */
  @Test
  void followsTycostreamIntegrationScenario() {
    // GIVEN fire: score >= 100, clear: score < 90 AND active = false
    TriggerStateMachine machine = machine(FIRE, CLEAR);
    // WHEN
    List<TriggerEvent> events = runOneByOne(machine,
      upsertScore(1, 150L, true, 1),
      upsertScore(1, 160L, false, 2),
      upsertScore(1, 80L, false, 3),
      upsertScore(1, 120L, true, 4),
      upsertScore(2, 200L, true, 5),
      deleteScore(1, 6));
    // THEN
    assertThat(events).extracting(TriggerEvent::type, TriggerEvent::key, TriggerEvent::sourceTimestamp,
      TriggerEvent::data).containsExactly(
      tuple(EventType.FIRE, List.of(1L), BigInteger.valueOf(1), scoreRow(1, 150L, true)),
      tuple(EventType.CLEAR, List.of(1L), BigInteger.valueOf(3), scoreRow(1, 80L, false)),
      tuple(EventType.FIRE, List.of(1L), BigInteger.valueOf(4), scoreRow(1, 120L, true)),
      tuple(EventType.FIRE, List.of(2L), BigInteger.valueOf(5), scoreRow(2, 200L, true)),
      tuple(EventType.CLEAR, List.of(1L), BigInteger.valueOf(6), scoreRow(1, 120L, true)));
    assertThat(events).extracting(TriggerEvent::triggerName).containsOnly("score_alert");
  }

  /** Verifies that the same scenario in one batch gives the same events and leaves only key 2 matched. */
  @Test
  void oneBatchGivesTheSameEvents() {
    TriggerStateMachine machine = machine(FIRE, CLEAR);
    BatchEvaluation evaluation = machine.evaluate(List.of(
      upsertScore(1, 150L, true, 1), upsertScore(1, 160L, false, 2), upsertScore(1, 80L, false, 3),
      upsertScore(1, 120L, true, 4), upsertScore(2, 200L, true, 5), deleteScore(1, 6)), MatchedKeyLookup.NONE);
    assertThat(evaluation.events()).extracting(TriggerEvent::type, TriggerEvent::sourceTimestamp).containsExactly(
      tuple(EventType.FIRE, BigInteger.valueOf(1)), tuple(EventType.CLEAR, BigInteger.valueOf(3)),
      tuple(EventType.FIRE, BigInteger.valueOf(4)), tuple(EventType.FIRE, BigInteger.valueOf(5)),
      tuple(EventType.CLEAR, BigInteger.valueOf(6)));
    assertThat(evaluation.delta().upserts()).containsOnlyKeys("[2]");
    assertThat(evaluation.delta().upserts().get("[2]").lastRow()).isEqualTo(scoreRow(2, 200L, true));
    assertThat(evaluation.delta().removals()).isEmpty();
  }

  /** Verifies that a matched key stays matched in the band between fire and clear, and clears only once clear holds. */
  @Test
  void clearsOnlyOnceClearConditionHolds() {
    TriggerStateMachine machine = machine(FIRE, CLEAR);
    List<TriggerEvent> events = runOneByOne(machine,
      upsertScore(1, 100L, true, 1),   // FIRE at the boundary
      upsertScore(1, 95L, false, 2),   // below fire, clear false (95 >= 90)
      upsertScore(1, 85L, true, 3),    // clear false (still active)
      upsertScore(1, 89L, false, 4));  // clear holds
    assertThat(events).extracting(TriggerEvent::type, TriggerEvent::sourceTimestamp).containsExactly(
      tuple(EventType.FIRE, BigInteger.valueOf(1)), tuple(EventType.CLEAR, BigInteger.valueOf(4)));
  }

  /** Verifies that when fire and clear both hold, fire wins: a key FIRES and a matched key stays matched. */
  @Test
  void fireWinsWhenBothHold() {
    TriggerStateMachine machine = machine(FIRE, "{\"active\": {\"_eq\": false}}");
    List<TriggerEvent> events = runOneByOne(machine,
      upsertScore(1, 150L, false, 1),  // both hold: FIRE
      upsertScore(1, 160L, false, 2),  // both hold: stays
      upsertScore(1, 50L, false, 3));  // only clear holds: CLEAR
    assertThat(events).extracting(TriggerEvent::type).containsExactly(EventType.FIRE, EventType.CLEAR);
  }

  /** Verifies that a key that is not matched never fires because clear is false. */
  @Test
  void doesNotFireOnClearBeingFalse() {
    TriggerStateMachine machine = machine(FIRE, CLEAR);
    assertThat(runOneByOne(machine, upsertScore(1, 95L, true, 1), upsertScore(1, 50L, false, 2))).isEmpty();
  }

  /** Verifies that without clear a key clears as soon as fire stops holding, and can fire again. */
  @Test
  void clearsWhenFireStopsWithoutClearCondition() {
    TriggerStateMachine machine = machine(FIRE, null);
    List<TriggerEvent> events = runOneByOne(machine,
      upsertScore(1, 150L, true, 1), upsertScore(1, 120L, true, 2), upsertScore(1, 99L, true, 3),
      upsertScore(1, 98L, true, 4), upsertScore(1, 100L, true, 5));
    assertThat(events).extracting(TriggerEvent::type, TriggerEvent::sourceTimestamp).containsExactly(
      tuple(EventType.FIRE, BigInteger.valueOf(1)), tuple(EventType.CLEAR, BigInteger.valueOf(3)),
      tuple(EventType.FIRE, BigInteger.valueOf(5)));
  }

  /** Verifies that NULL values neither fire nor satisfy clear, so a matched key keeps its match under hysteresis. */
  @Test
  void nullValuesNeitherFireNorClear() {
    TriggerStateMachine withClear = machine(FIRE, CLEAR);
    List<TriggerEvent> events = runOneByOne(withClear,
      upsertScore(1, null, false, 1),  // fire UNKNOWN: no FIRE
      upsertScore(1, 150L, true, 2),   // FIRE
      upsertScore(1, null, false, 3),  // fire UNKNOWN, clear UNKNOWN: stays matched
      upsertScore(1, 50L, null, 4),    // clear UNKNOWN: stays matched
      upsertScore(1, 50L, false, 5));  // CLEAR
    assertThat(events).extracting(TriggerEvent::type, TriggerEvent::sourceTimestamp).containsExactly(
      tuple(EventType.FIRE, BigInteger.valueOf(2)), tuple(EventType.CLEAR, BigInteger.valueOf(5)));
    // without clear, fire UNKNOWN is "fire does not hold": CLEAR
    TriggerStateMachine withoutClear = machine(FIRE, null);
    assertThat(runOneByOne(withoutClear, upsertScore(1, 150L, true, 1), upsertScore(1, null, true, 2)))
      .extracting(TriggerEvent::type).containsExactly(EventType.FIRE, EventType.CLEAR);
  }

  /** Verifies that deleting a matched key CLEARs with its last row and deleting an unmatched key emits nothing. */
  @Test
  void deleteClearsWithLastKnownRow() {
    TriggerStateMachine machine = machine(FIRE, CLEAR);
    List<TriggerEvent> events = runOneByOne(machine,
      deleteScore(7, 1),               // never seen: nothing
      upsertScore(1, 150L, true, 2),   // FIRE
      upsertScore(1, 95L, true, 3),    // stays matched, last row updated
      deleteScore(1, 4),               // CLEAR with (1, 95, true)
      deleteScore(1, 5));              // already cleared: nothing
    assertThat(events).extracting(TriggerEvent::type, TriggerEvent::data).containsExactly(
      tuple(EventType.FIRE, scoreRow(1, 150L, true)), tuple(EventType.CLEAR, scoreRow(1, 95L, true)));
  }

  /** Verifies the single-step transition: a matched key that stays matched gets its new row and no event. */
  @Test
  void staysMatchedWithNewRowAndNoEvent() {
    TriggerStateMachine machine = machine(FIRE, CLEAR);
    MatchedKeyState matched = new MatchedKeyState(List.of(1L), scoreRow(1, 150L, true));
    Transition transition = machine.apply(matched, upsertScore(1, 95L, true, 2));
    assertThat(transition.emits()).isFalse();
    assertThat(transition.next()).isEqualTo(new MatchedKeyState(List.of(1L), scoreRow(1, 95L, true)));
    assertThat(machine.apply(null, upsertScore(1, 95L, true, 2))).isEqualTo(Transition.NOT_MATCHED);
  }

  /** Verifies that a bad clear condition is reported under the clear path. */
  @Test
  void reportsClearConditionErrorsUnderClear() {
    assertThatThrownBy(() -> machine(FIRE, "{\"score\": {\"_lt\": \"low\"}}"))
      .isInstanceOfSatisfying(ConditionException.class, e -> assertThat(e.field()).isEqualTo("clear.score._lt"));
  }
}
