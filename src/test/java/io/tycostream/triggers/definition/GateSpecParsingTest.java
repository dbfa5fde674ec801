package io.tycostream.triggers.definition;

import io.tycostream.triggers.definition.TriggerDefinitionParser.Checks;
import io.tycostream.triggers.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Verifies the delivery-gate fields of a definition (#11 items 2 and 9): {@code cooldown} (a duration above zero, at
 * most 30 days) and {@code deliver_if} (another configured source, its key values, a non-empty where), each problem a
 * 400 naming the full field path; absent gates leave the stored form unchanged.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GateSpecParsingTest {

  private static final Checks SOURCES = new Checks(List.of("positions", "market_hours")::contains, url -> { });

  private static String definition(String extra) {
    return "{\"name\": \"t1\", \"source\": \"positions\", \"webhook\": {\"url\": \"https://example.com/h\"}, "
        + "\"fire\": {\"net_position\": {\"_gt\": 1}}" + (extra == null ? "" : ", " + extra) + "}";
  }

  /** Verifies that a definition without gates has none and stores no gate fields. */
  @Test
  void noGatesByDefault() {
    TriggerDefinition parsed = TriggerDefinitionParser.parse(definition(null));

    assertThat(parsed.cooldown()).isNull();
    assertThat(parsed.deliverIf()).isNull();
    assertThat(parsed.hasGates()).isFalse();
    assertThat(parsed.toJsonObject().fieldNames()).doesNotContain("cooldown", "deliver_if");
  }

  /** Verifies the duration forms and that the stored form reads back as the same definition. */
  @ParameterizedTest
  @CsvSource({"500ms,500", "30s,30000", "5m,300000", "2h,7200000", "1d,86400000", "90s,90000", "30d,2592000000"})
  void cooldownRoundTrips(String text, long ms) {
    TriggerDefinition parsed = TriggerDefinitionParser.parseRequest(definition("\"cooldown\": \"" + text + "\""),
        SOURCES).definition();

    assertThat(parsed.cooldown()).isEqualTo(Duration.ofMillis(ms));
    assertThat(TriggerDefinitionParser.parse(parsed.toJson())).isEqualTo(parsed);
    assertThat(DurationText.parse(DurationText.format(parsed.cooldown()))).contains(parsed.cooldown());
  }

  /** Verifies that zero, too long, malformed or non-string cooldowns are invalid_field naming cooldown. */
  @ParameterizedTest
  @ValueSource(strings = {"\"0s\"", "\"31d\"", "\"5 m\"", "\"5min\"", "\"-5m\"", "\"\"", "300", "true", "{}"})
  void badCooldownNamesTheField(String value) {
    assertThatThrownBy(() -> TriggerDefinitionParser.parseRequest(definition("\"cooldown\": " + value), SOURCES))
        .isInstanceOfSatisfying(TriggerDefinitionException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
          assertThat(e.field()).isEqualTo("cooldown");
        });
  }

  /** Verifies that a deliver_if reads and round-trips through the stored form. */
  @Test
  void deliverIfRoundTrips() {
    TriggerDefinition parsed = TriggerDefinitionParser.parseRequest(definition("\"deliver_if\": {\"source\": "
        + "\"market_hours\", \"key\": [\"NYSE\"], \"where\": {\"open\": {\"_eq\": true}}}"), SOURCES).definition();

    assertThat(parsed.deliverIf().source()).isEqualTo("market_hours");
    assertThat(parsed.deliverIf().key()).containsExactly("NYSE");
    assertThat(parsed.deliverIf().where().encode()).isEqualTo("{\"open\":{\"_eq\":true}}");
    assertThat(TriggerDefinitionParser.parse(parsed.toJson())).isEqualTo(parsed);
  }

  /** Verifies that each broken part of a deliver_if is refused naming its path. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[]                                                                      | deliver_if            | invalid_field",
      "{\"key\": [\"NYSE\"], \"where\": {\"open\": {\"_eq\": true}}}          | deliver_if.source     | invalid_field",
      "{\"source\": \"calendar\", \"key\": [1], \"where\": {\"a\": {\"_eq\": 1}}} | deliver_if.source  | unknown_source",
      "{\"source\": \"market_hours\", \"where\": {\"open\": {\"_eq\": true}}}  | deliver_if.key        | invalid_field",
      "{\"source\": \"market_hours\", \"key\": [{}], \"where\": {\"o\": {}}}  | deliver_if.key[0]     | invalid_field",
      "{\"source\": \"market_hours\", \"key\": [\"NYSE\"]}                    | deliver_if.where      | invalid_condition",
      "{\"source\": \"market_hours\", \"key\": [\"NYSE\"], \"where\": {}}     | deliver_if.where      | invalid_condition",
      "{\"source\": \"market_hours\", \"key\": [\"NYSE\"], \"where\": {\"o\": {\"_eq\": 1}}, \"x\": 1} | deliver_if.x | unknown_field"})
  void badDeliverIfNamesThePath(String value, String field, String code) {
    assertThatThrownBy(() -> TriggerDefinitionParser.parseRequest(definition("\"deliver_if\": " + value), SOURCES))
        .isInstanceOfSatisfying(TriggerDefinitionException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.code().name().toLowerCase()).isEqualTo(code);
        });
  }

  /** Verifies that the convenience constructor of the previous components means no gates. */
  @Test
  void previousConstructorHasNoGates() {
    TriggerDefinition definition = new TriggerDefinition("t1", "positions", WebhookTarget.parse("https://e.com/h"),
        new io.vertx.core.json.JsonObject().put("a", 1), null, false, TriggerMode.LIVE, null, java.util.Map.of(),
        List.of());

    assertThat(definition.hasGates()).isFalse();
    assertThat(definition.withGates(Duration.ofMinutes(5), null).toJsonObject().getString("cooldown")).isEqualTo("5m");
    assertThat(URI.create("https://e.com/h")).isEqualTo(definition.webhookUrl());
  }
}
