package io.tycostream.triggers.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tycostream.triggers.definition.TriggerDefinitionParser.Checks;
import io.tycostream.triggers.error.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Verifies the {@code rate_limit} and {@code ordering} fields (#11 items 3 and 10): defaults, bounds, the default
 * burst, the stored form (unchanged for triggers without them) and 400s naming the field path.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeliveryFlowParsingTest {

  private static String definition(String extra) {
    return "{\"name\": \"t1\", \"source\": \"positions\", \"webhook\": {\"url\": \"https://example.com/h\"}, "
        + "\"fire\": {\"net_position\": {\"_gt\": 1}}" + (extra == null ? "" : ", " + extra) + "}";
  }

  private static TriggerDefinition parse(String extra) {
    return TriggerDefinitionParser.parseRequest(definition(extra), Checks.NONE).definition();
  }

  /** Verifies that a definition without the fields has no limit, concurrent order, and stores neither. */
  @Test
  void defaultsToNoLimitAndConcurrentOrder() {
    TriggerDefinition parsed = parse(null);

    assertThat(parsed.rateLimit()).isNull();
    assertThat(parsed.ordering()).isEqualTo(DeliveryOrdering.CONCURRENT);
    assertThat(parsed.toJsonObject().containsKey("rate_limit")).isFalse();
    assertThat(parsed.toJsonObject().containsKey("ordering")).isFalse();
    assertThat(parse("\"ordering\": \"concurrent\"").toJsonObject().containsKey("ordering")).isFalse();
  }

  /** Verifies that both fields round-trip through the stored form and show as given. */
  @Test
  void roundTripsThroughTheStoredForm() {
    TriggerDefinition parsed = parse("\"rate_limit\": {\"per_second\": 50, \"burst\": 100}, \"ordering\": \"per_key\"");

    assertThat(parsed.rateLimit()).isEqualTo(new RateLimit(new BigDecimal("50"), 100));
    assertThat(parsed.ordering()).isEqualTo(DeliveryOrdering.PER_KEY);
    assertThat(TriggerDefinitionParser.parse(parsed.toJson())).isEqualTo(parsed);
    assertThat(parsed.toJsonObject().getJsonObject("rate_limit"))
        .isEqualTo(new JsonObject().put("per_second", 50L).put("burst", 100));
    assertThat(parsed.toJsonObject().getString("ordering")).isEqualTo("per_key");
    assertThat(parsed.withRateLimit(null).withOrdering(DeliveryOrdering.CONCURRENT))
        .isEqualTo(parse(null));
  }

  /** Verifies the default burst: one second's worth, at least 1. */
  @ParameterizedTest
  @CsvSource({"50, 50", "0.5, 1", "2.5, 3", "0.001, 1", "100000, 100000"})
  void burstDefaultsToOneSecondOfTheRate(String perSecond, int burst) {
    RateLimit limit = parse("\"rate_limit\": {\"per_second\": " + perSecond + "}").rateLimit();

    assertThat(limit.burst()).isEqualTo(burst);
    assertThat(limit.perSecond()).isEqualByComparingTo(perSecond);
    assertThat(TriggerDefinitionParser.parse(parse("\"rate_limit\": {\"per_second\": " + perSecond + "}").toJson())
        .rateLimit()).isEqualTo(limit);
  }

  /** Verifies that bad values are 400s naming the field path. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"rate_limit\": 5|rate_limit|INVALID_FIELD",
      "\"rate_limit\": {}|rate_limit.per_second|INVALID_FIELD",
      "\"rate_limit\": {\"per_second\": 0}|rate_limit.per_second|INVALID_FIELD",
      "\"rate_limit\": {\"per_second\": -1}|rate_limit.per_second|INVALID_FIELD",
      "\"rate_limit\": {\"per_second\": 0.0001}|rate_limit.per_second|INVALID_FIELD",
      "\"rate_limit\": {\"per_second\": 100001}|rate_limit.per_second|INVALID_FIELD",
      "\"rate_limit\": {\"per_second\": \"50\"}|rate_limit.per_second|INVALID_FIELD",
      "\"rate_limit\": {\"per_second\": 5, \"burst\": 0}|rate_limit.burst|INVALID_FIELD",
      "\"rate_limit\": {\"per_second\": 5, \"burst\": 1.5}|rate_limit.burst|INVALID_FIELD",
      "\"rate_limit\": {\"per_second\": 5, \"burst\": 100001}|rate_limit.burst|INVALID_FIELD",
      "\"rate_limit\": {\"per_second\": 5, \"burst\": 9999999999}|rate_limit.burst|INVALID_FIELD",
      "\"rate_limit\": {\"per_second\": 5, \"per_minute\": 1}|rate_limit.per_minute|UNKNOWN_FIELD",
      "\"ordering\": \"strict\"|ordering|INVALID_FIELD",
      "\"ordering\": \"PER_KEY\"|ordering|INVALID_FIELD",
      "\"ordering\": true|ordering|INVALID_FIELD"})
  void badValuesNameTheField(String extra, String field, ErrorCode code) {
    assertThatThrownBy(() -> parse(extra))
        .isInstanceOfSatisfying(TriggerDefinitionException.class, e -> {
          assertThat(e.code()).isEqualTo(code);
          assertThat(e.field()).isEqualTo(field);
        });
  }
}
