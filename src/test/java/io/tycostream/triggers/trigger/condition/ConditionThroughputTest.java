package io.tycostream.triggers.trigger.condition;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.tycostream.triggers.trigger.TriggerFixtures.ALL_TYPES;
import static io.tycostream.triggers.trigger.TriggerFixtures.row;
import static org.assertj.core.api.Assertions.assertThat;

/** Verifies that a compiled condition evaluates a million rows without error. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConditionThroughputTest {

  /** Verifies that evaluating 1M rows gives the match count computed by hand. */
  @Test
  void evaluatesAMillionRows() {
    // GIVEN quantity >= 50 AND (symbol IN ('A','B') OR price > 10) over 1000 distinct rows cycled
    Condition condition = ConditionCompiler.compile(new JsonObject("{\"quantity\": {\"_gte\": 50},"
      + " \"_or\": [{\"symbol\": {\"_in\": [\"A\", \"B\"]}}, {\"price\": {\"_gt\": 10}}]}"), ALL_TYPES, "fire");
    List<Map<String, Object>> rows = IntStream.range(0, 1000)
      .mapToObj(i -> row("id", (long) i, "quantity", (long) (i % 100), "symbol", i % 4 == 0 ? "A" : "C",
        "price", BigDecimal.valueOf(i % 20)))
      .toList();
    // WHEN
    int matches = 0;
    for (int i = 0; i < 1_000_000; i++) {
      if (condition.matches(rows.get(i % 1000))) {
        matches++;
      }
    }
    // THEN the count is the rule applied by hand to the 1000 distinct rows, times 1000
    int perThousand = 0;
    for (int i = 0; i < 1000; i++) {
      if (i % 100 >= 50 && (i % 4 == 0 || i % 20 > 10)) {
        perThousand++;
      }
    }
    assertThat(matches).isEqualTo(perThousand * 1000);
  }
}
