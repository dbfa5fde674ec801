package io.tycostream.triggers.trigger;

import io.tycostream.triggers.definition.TriggerDefinition;
import io.tycostream.triggers.definition.WebhookTarget;
import io.tycostream.triggers.source.Change;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.trigger.TriggerFixtures.SCORES;
import static io.tycostream.triggers.trigger.TriggerFixtures.deleteScore;
import static io.tycostream.triggers.trigger.TriggerFixtures.scoreRow;
import static io.tycostream.triggers.trigger.TriggerFixtures.upsertScore;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies that the change-by-change evaluation of many triggers, which skips the (trigger, change) pairs that cannot
 * matter, gives exactly what evaluating every trigger over every change gives: the same events in the same order and
 * the same state delta, for random groups of upserts and deletes — keys changing twice at one timestamp, matched keys
 * deleted, triggers whose baseline holds the first changes, triggers pinned to one key (looked up by key) whose
 * matched keys do or do not all hold that key.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveEvaluationTest {

  private static final String[][] CONDITIONS = {
      {"{\"score\": {\"_gte\": 100}}", "{\"score\": {\"_lt\": 90}}"},
      {"{\"score\": {\"_gt\": 50}, \"active\": {\"_eq\": true}}", null},
      {"{\"_or\": [{\"score\": {\"_lt\": 10}}, {\"active\": {\"_eq\": false}}]}", null},
      {"{\"score\": {\"_is_null\": true}}", null},
      {"{\"id\": {\"_eq\": 3}, \"score\": {\"_gt\": 0}}", "{\"score\": {\"_lt\": -5}}"},
      {"{\"id\": {\"_eq\": 5}}", "{\"score\": {\"_lt\": 20}}"},
      {"{\"_and\": [{\"score\": {\"_gt\": 20}}, {\"_and\": {\"id\": {\"_eq\": 6}}}]}", null},
      {"{\"id\": {\"_eq\": 6}, \"active\": {\"_eq\": true}}", null},
      {"{\"_or\": [{\"id\": {\"_eq\": 1}}, {\"score\": {\"_gt\": 150}}]}", "{\"score\": {\"_lt\": 100}}"},
      {"{\"_not\": {\"id\": {\"_eq\": 2}}, \"score\": {\"_gt\": 120}}", null},
  };

  /** Verifies the equivalence over 300 random groups, each with its own committed state. */
  @Test
  void equalsTheFullEvaluationOfEveryTrigger(Vertx vertx) {
    // GIVEN a seeded generator of committed states and change groups, and the evaluator's slices on a context
    Random random = new Random(2026);
    Context context = vertx.getOrCreateContext();
    for (int round = 0; round < 300; round++) {
      List<ActiveTrigger> triggers = triggers(random);
      List<Change> changes = changes(random);

      // WHEN the group is evaluated change by change for all triggers
      Map<ActiveTrigger, BatchEvaluation> live = onContext(context,
          () -> LiveEvaluation.run(LiveTriggerSet.of(triggers), changes, new Slices(context, Duration.ofMillis(1))));

      // THEN each trigger's result equals its full evaluation over the changes it takes (absent = nothing happened)
      for (ActiveTrigger trigger : triggers) {
        List<Change> taken = changes.stream().filter(trigger::applies).toList();
        BatchEvaluation full = trigger.machine().evaluate(taken, trigger.lookup());
        BatchEvaluation actual = live.get(trigger);
        if (actual == null) {
          assertThat(full.events()).as("round %d, %s", round, trigger.name()).isEmpty();
          assertThat(full.delta().isEmpty()).as("round %d, %s", round, trigger.name()).isTrue();
        } else {
          assertThat(actual.events()).as("round %d, %s", round, trigger.name()).isEqualTo(full.events());
          assertThat(actual.delta()).as("round %d, %s", round, trigger.name()).isEqualTo(full.delta());
        }
      }
    }
  }

  private static List<ActiveTrigger> triggers(Random random) {
    List<ActiveTrigger> triggers = new ArrayList<>();
    for (int i = 0; i < CONDITIONS.length; i++) {
      String name = "t" + i;
      JsonObject definition = new JsonObject().put("fire", new JsonObject(CONDITIONS[i][0]));
      TriggerDefinition parsed = new TriggerDefinition(name, "scores", WebhookTarget.parse("https://x.example/h"),
          definition.getJsonObject("fire"), CONDITIONS[i][1] == null ? null : new JsonObject(CONDITIONS[i][1]), false);
      BigInteger appliesFrom = random.nextInt(3) == 0 ? BigInteger.valueOf(10 + random.nextInt(10)) : null;
      ActiveTrigger trigger = ActiveTrigger.compile(new TriggerIdentity(name, Instant.EPOCH, name), parsed, SCORES,
          appliesFrom);
      // a key-pinned trigger's matched keys usually hold its key value (indexed); sometimes not (evaluated on all)
      boolean anyKey = trigger.keyEquality() == null || random.nextInt(4) == 0;
      for (long id = 0; id < 8; id++) {
        if (random.nextInt(3) == 0 && (anyKey || trigger.keyEquality().holdsFor(List.of(id)))) {
          trigger.restore("[" + id + "]", RowJson.encode(scoreRow(id, (long) random.nextInt(200), true)));
        }
      }
      triggers.add(trigger);
    }
    return triggers;
  }

  private static List<Change> changes(Random random) {
    List<Change> changes = new ArrayList<>();
    long timestamp = 10;
    for (int i = 0; i < 25; i++) {
      timestamp += random.nextInt(3);
      long id = random.nextInt(8);
      if (random.nextInt(5) == 0) {
        changes.add(deleteScore(id, timestamp));
      } else {
        Long score = random.nextInt(10) == 0 ? null : (long) (random.nextInt(220) - 10);
        changes.add(upsertScore(id, score, random.nextBoolean(), timestamp));
      }
    }
    return changes;
  }

  private static <T> T onContext(Context context, java.util.function.Supplier<Future<T>> work) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(result));
    return await(result.future());
  }
}
