package io.tycostream.triggers.trigger;

import io.tycostream.triggers.definition.TriggerDefinition;
import io.tycostream.triggers.definition.TriggerMode;
import io.tycostream.triggers.definition.WebhookTarget;
import io.tycostream.triggers.json.ComputedErrorsMember;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.trigger.TriggerFixtures.SCORES;
import static io.tycostream.triggers.trigger.TriggerFixtures.upsertScore;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies a state machine compiled from a whole definition: params fill the conditions, computed fields are added
 * to the events' data after the selection (failures as null plus the errors member), and a condition may compare a
 * computed field like a column.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ParameterizedComputedMachineTest {

  private static TriggerDefinition definition(String fire, String params, Map<String, String> computed,
                                              List<String> fields) {
    return new TriggerDefinition("t", "scores", WebhookTarget.parse("http://127.0.0.1:9/hooks"), new JsonObject(fire),
        null, false, TriggerMode.LIVE, null, Map.of(), fields).withParams(new JsonObject(params)).withComputed(computed);
  }

  /** Verifies that a FIRE's data holds the selected columns, then the computed values, and errors last. */
  @Test
  void eventsCarryComputedValuesAfterTheSelection() {
    // GIVEN score >= min, data = id + active, plus half (an int division) and inverse (fails for score 0)
    TriggerStateMachine machine = TriggerStateMachine.compile("t", SCORES, definition(
        "{\"score\": {\"_gte\": {\"_param\": \"min\"}}}", "{\"min\": 0}",
        new java.util.LinkedHashMap<>(Map.of("half", "row.score / 2")), List.of("active")));
    TriggerStateMachine failing = TriggerStateMachine.compile("t", SCORES, definition(
        "{\"score\": {\"_gte\": 0}}", "{}", Map.of("inverse", "100 / row.score"), List.of()));
    // WHEN rows fire
    TriggerEvent event = machine.evaluate(List.of(upsertScore(1, 9L, true, 10)), MatchedKeyLookup.NONE).events()
        .get(0);
    TriggerEvent failed = failing.evaluate(List.of(upsertScore(2, 0L, false, 10)), MatchedKeyLookup.NONE).events()
        .get(0);
    // THEN the data is the selection and the computed value; a failure is null plus an errors entry
    assertThat(event.data()).containsExactly(Map.entry("id", 1L), Map.entry("active", true), Map.entry("half", 4L));
    assertThat(failed.data()).containsEntry("inverse", null);
    ComputedErrorsMember.Split split = ComputedErrorsMember.split(RowJson.encode(failed.data()));
    assertThat(new JsonObject(split.data())).isEqualTo(new JsonObject()
        .put("id", 2).put("score", 0).put("active", false).putNull("inverse"));
    assertThat(split.errors()).contains("\"field\":\"inverse\"").contains("by zero");
  }

  /** Verifies that fire may compare a computed field (here with a parameter), with hysteresis on the raw row. */
  @Test
  void conditionsCompareComputedFields() {
    // GIVEN fire when score * 2 > limit (limit 100)
    TriggerStateMachine machine = TriggerStateMachine.compile("t", SCORES, definition(
        "{\"doubled\": {\"_gt\": {\"_param\": \"limit\"}}}", "{\"limit\": 100}", Map.of("doubled", "row.score * 2"),
        List.of()));
    // WHEN scores 40, 60, 45 arrive for one key
    BatchEvaluation result = machine.evaluate(List.of(upsertScore(1, 40L, true, 10), upsertScore(1, 60L, true, 11),
        upsertScore(1, 45L, true, 12)), MatchedKeyLookup.NONE);
    // THEN it FIREs at 60 (120 > 100) and CLEARs at 45 (90), each carrying the computed value
    assertThat(result.events()).extracting(TriggerEvent::type).containsExactly(EventType.FIRE, EventType.CLEAR);
    assertThat(result.events().get(0).data()).containsEntry("doubled", 120L);
    assertThat(machine.fires(Map.of("id", 1L, "score", 51L))).isTrue();
    assertThat(machine.fires(Map.of("id", 1L, "score", 50L))).isFalse();
  }
}
