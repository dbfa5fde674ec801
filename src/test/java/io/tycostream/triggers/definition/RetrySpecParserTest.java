package io.tycostream.triggers.definition;

import io.tycostream.triggers.backoff.Backoff;
import io.tycostream.triggers.definition.TriggerDefinitionParser.Checks;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.json.JsonMappers;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Verifies that {@code retry}, {@code timeout}, {@code expires_at} and {@code ttl} are read into the definition, keep
 * their stored form, and that each bound is a 400 naming the full path.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RetrySpecParserTest {

  private static final String BASE = """
      {"name": "t", "source": "s", "webhook": {"url": "https://example.com/h"}, "fire": {"x": {"_gt": 1}}%s}""";

  private static TriggerDefinition parse(String extra) {
    return TriggerDefinitionParser.parseRequest(BASE.formatted(extra), Checks.NONE).definition();
  }

  /** Verifies every part of a full policy, the timeout, and that the stored form reads back the same. */
  @Test
  void readsAFullPolicyAndKeepsItsStoredForm() {
    // GIVEN a definition with every retry part and a timeout
    TriggerDefinition definition = parse(", \"retry\": {\"max_attempts\": 3, \"initial_delay\": \"100ms\", "
        + "\"max_delay\": \"2s\", \"multiplier\": 3, \"jitter\": \"none\", \"max_age\": \"90s\"}, "
        + "\"timeout\": \"1500ms\"");

    // THEN each part is read
    assertThat(definition.retry()).isEqualTo(new RetrySpec(3, Duration.ofMillis(100), Duration.ofSeconds(2), 3.0,
        Backoff.Jitter.NONE, Duration.ofSeconds(90)));
    assertThat(definition.timeout()).isEqualTo(Duration.ofMillis(1500));
    // AND the stored form holds them as text and reads back equal
    JsonObject stored = definition.toJsonObject();
    assertThat(stored.getJsonObject("retry").getString("max_age")).isEqualTo("90s");
    assertThat(stored.getString("timeout")).isEqualTo("1500ms");
    assertThat(stored.getJsonObject("retry").getValue("multiplier")).isEqualTo(3);
    assertThat(TriggerDefinitionParser.parse(definition.toJson())).isEqualTo(definition);
  }

  /** Verifies that a definition without the new fields stores exactly what it stored before them. */
  @Test
  void leavesTheStoredFormOfOlderDefinitionsUnchanged() {
    TriggerDefinition definition = parse("");
    assertThat(definition.retry()).isEqualTo(RetrySpec.NONE);
    assertThat(definition.toJsonObject().fieldNames()).doesNotContain("retry", "timeout", "expires_at", "ttl");
  }

  /** Verifies each bound, by the field it names. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"retry\": {\"initial_delay\": \"0s\"}                         | retry.initial_delay",
      "\"retry\": {\"initial_delay\": \"-1s\"}                        | retry.initial_delay",
      "\"retry\": {\"initial_delay\": \"5ms\"}                        | retry.initial_delay",
      "\"retry\": {\"initial_delay\": 100}                            | retry.initial_delay",
      "\"retry\": {\"max_delay\": \"8d\"}                             | retry.max_delay",
      "\"retry\": {\"initial_delay\": \"2s\", \"max_delay\": \"1s\"}  | retry.max_delay",
      "\"retry\": {\"multiplier\": 0.5}                               | retry.multiplier",
      "\"retry\": {\"multiplier\": 11}                                | retry.multiplier",
      "\"retry\": {\"max_attempts\": 0}                               | retry.max_attempts",
      "\"retry\": {\"max_attempts\": 101}                             | retry.max_attempts",
      "\"retry\": {\"max_attempts\": 2.5}                             | retry.max_attempts",
      "\"retry\": {\"jitter\": \"some\"}                              | retry.jitter",
      "\"retry\": {\"max_age\": \"500ms\"}                            | retry.max_age",
      "\"retry\": {\"colour\": 1}                                     | retry.colour",
      "\"retry\": 3                                                   | retry",
      "\"timeout\": \"50ms\"                                          | timeout",
      "\"timeout\": \"31s\"                                           | timeout",
      "\"ttl\": \"0s\"                                                | ttl",
      "\"expires_at\": \"tomorrow\"                                   | expires_at",
      "\"ttl\": \"1h\", \"expires_at\": \"2030-01-01T00:00:00Z\"      | ttl"})
  void refusesOutOfBoundsNamingTheField(String extra, String field) {
    assertThatThrownBy(() -> parse(", " + extra))
        .isInstanceOfSatisfying(TriggerDefinitionException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.code()).isIn(ErrorCode.INVALID_FIELD, ErrorCode.UNKNOWN_FIELD);
        });
  }

  /** Verifies that a ttl becomes expires_at counted from the clock, and that only expires_at is stored. */
  @Test
  void turnsTtlIntoExpiresAt() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00.123456Z"), ZoneOffset.UTC);
    String json = BASE.formatted(", \"ttl\": \"2h\"");
    TriggerDefinition plain = TriggerDefinitionParser.parseRequest(json.replace(", \"ttl\": \"2h\"", ""),
        Checks.NONE).definition();

    TriggerDefinition definition = RetrySpecParser.apply(JsonMappers.strict().readTree(json), plain, clock);

    assertThat(definition.expiresAt()).isEqualTo(Instant.parse("2026-12-01T12:00:00.123Z"));
    assertThat(definition.toJsonObject().getString("expires_at")).isEqualTo("2026-12-01T12:00:00.123Z");
    assertThat(definition.toJsonObject().containsKey("ttl")).isFalse();
    assertThat(definition.isExpiredAt(Instant.parse("2026-12-01T12:00:00.122Z"))).isFalse();
    assertThat(definition.isExpiredAt(Instant.parse("2026-12-01T12:00:00.123Z"))).isTrue();
  }

  /** Verifies that an expires_at with an offset is read as its instant and stored in one fixed UTC form. */
  @Test
  void readsExpiresAtWithAnOffset() {
    TriggerDefinition definition = parse(", \"expires_at\": \"2030-01-01T02:00:00+02:00\"");
    assertThat(definition.expiresAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(definition.toJsonObject().getString("expires_at")).isEqualTo("2030-01-01T00:00:00.000Z");
  }

  /** Verifies duration texts in each unit, and their stable written form. */
  @Test
  void readsAndWritesDurationTexts() {
    assertThat(DurationText.parse("500ms")).contains(Duration.ofMillis(500));
    assertThat(DurationText.parse("5m")).contains(Duration.ofMinutes(5));
    assertThat(DurationText.parse("1d")).contains(Duration.ofDays(1));
    assertThat(DurationText.parse("1.5s")).isEmpty();
    assertThat(DurationText.parse("5 minutes")).isEmpty();
    assertThat(DurationText.format(Duration.ofSeconds(120))).isEqualTo("2m");
    assertThat(DurationText.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }
}
