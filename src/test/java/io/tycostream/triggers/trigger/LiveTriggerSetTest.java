package io.tycostream.triggers.trigger;

import io.tycostream.triggers.definition.TriggerDefinition;
import io.tycostream.triggers.definition.WebhookTarget;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.tycostream.triggers.trigger.TriggerFixtures.SCORES;
import static io.tycostream.triggers.trigger.TriggerFixtures.scoreRow;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the set a live pass reads: a change's candidates are the unpinned triggers and those pinned to its key
 * value, and a pinned trigger that comes to hold a key outside its equality is, in a set built again, tested on every
 * change (the registry builds it again when that happens: {@code TriggerRegistry.keyEqualityLost}).
 */
class LiveTriggerSetTest {

  @Test
  void candidatesAreTheUnpinnedAndThoseOfTheKey() {
    // GIVEN one trigger without a key equality and two pinned to ids 3 and 5
    ActiveTrigger any = trigger("any", "{\"score\": {\"_gt\": 10}}");
    ActiveTrigger three = trigger("three", "{\"id\": {\"_eq\": 3}}");
    ActiveTrigger five = trigger("five", "{\"id\": {\"_eq\": 5}, \"score\": {\"_gt\": 0}}");
    LiveTriggerSet set = LiveTriggerSet.of(List.of(any, three, five));

    // WHEN the candidates of changes to ids 3, 5 and 7 are asked for
    // THEN each has the unpinned trigger and only the one pinned to its id
    assertThat(names(set, 3L)).containsExactly("any", "three");
    assertThat(names(set, 5L)).containsExactly("any", "five");
    assertThat(names(set, 7L)).containsExactly("any");
  }

  @Test
  void aPinnedTriggerHoldingAnotherKeyIsTestedOnEveryChange() {
    // GIVEN a set with a trigger pinned to id 3
    ActiveTrigger three = trigger("three", "{\"id\": {\"_eq\": 3}}");
    LiveTriggerSet set = LiveTriggerSet.of(List.of(three));
    assertThat(names(set, 4L)).isEmpty();

    // WHEN the trigger is given a matched key 4 (a state from an earlier definition)
    three.restore("[4]", RowJson.encode(scoreRow(4L, 50L, true)));

    // THEN it has no key equality any more, and a set built again tests it on a change to id 4 (its CLEAR may be due)
    assertThat(three.keyEquality()).isNull();
    assertThat(names(LiveTriggerSet.of(List.of(three)), 4L)).containsExactly("three");
  }

  private static List<String> names(LiveTriggerSet set, long id) {
    List<String> names = new ArrayList<>();
    set.candidates(List.of(id), indices -> {
      for (int index : indices) {
        names.add(set.triggers().get(index).name());
      }
    });
    return names;
  }

  private static ActiveTrigger trigger(String name, String fire) {
    TriggerDefinition definition = new TriggerDefinition(name, "scores", WebhookTarget.parse("https://x.example/h"),
        new JsonObject(fire), null, false);
    return ActiveTrigger.compile(new TriggerIdentity(name, Instant.EPOCH, name), definition, SCORES, null);
  }
}
