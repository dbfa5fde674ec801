package io.tycostream.triggers.trigger.condition;

import io.tycostream.triggers.source.SourceColumn;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.trigger.TriggerFixtures.ALL_TYPES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies which equalities a condition requires of a column: only those every match needs ({@code _eq} at the top
 * level or under {@code _and}), with the value a source row holds, and none where an index could miss a match.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequiredEqualityTest {

  private static Optional<Object> required(String json, String column) {
    JsonObject where = new JsonObject(json);
    ConditionCompiler.compile(where, ALL_TYPES, "fire");
    SourceColumn found = ALL_TYPES.column(column).orElseThrow();
    return RequiredEquality.of(where, found);
  }

  /** Verifies that a top-level or nested-_and _eq is required, with the value a row of that type holds. */
  @Test
  void findsEqualitiesEveryMatchNeeds() {
    assertThat(required("{\"id\": {\"_eq\": 7}, \"quantity\": {\"_gt\": 100}}", "id")).contains(7L);
    assertThat(required("{\"id\": {\"_eq\": 7.0}}", "id")).contains(7L);
    assertThat(required("{\"id\": {\"_gte\": 1, \"_eq\": 12345678901}}", "id")).contains(12345678901L);
    assertThat(required("{\"_and\": [{\"quantity\": {\"_gt\": 1}}, {\"_and\": {\"symbol\": {\"_eq\": \"AAPL\"}}}]}",
        "symbol")).contains("AAPL");
  }

  /** Verifies that equalities a match can do without, or that no row value equals, are not reported. */
  @Test
  void findsNoneWhereAMatchCanDoWithout() {
    assertThat(required("{\"_or\": [{\"id\": {\"_eq\": 7}}, {\"quantity\": {\"_gt\": 1}}]}", "id")).isEmpty();
    assertThat(required("{\"_not\": {\"id\": {\"_eq\": 7}}}", "id")).isEmpty();
    assertThat(required("{\"id\": {\"_neq\": 7}}", "id")).isEmpty();
    assertThat(required("{\"id\": {\"_in\": [7]}}", "id")).isEmpty();
    assertThat(required("{\"quantity\": {\"_eq\": 7}}", "id")).isEmpty();
    // no integer equals 2.5; numeric and other types are not indexed
    assertThat(required("{\"id\": {\"_eq\": 2.5}}", "id")).isEmpty();
    assertThat(required("{\"price\": {\"_eq\": 2}}", "price")).isEmpty();
    assertThat(required("{\"active\": {\"_eq\": true}}", "active")).isEmpty();
  }
}
