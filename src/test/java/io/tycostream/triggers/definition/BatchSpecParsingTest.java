package io.tycostream.triggers.definition;

import io.tycostream.triggers.definition.TriggerDefinitionParser.Checks;
import io.tycostream.triggers.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verifies the {@code batch} field of a definition (#11 item 8) and the duration text it uses. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BatchSpecParsingTest {

  private static String definition(String batchField) {
    return "{\"name\": \"t1\", \"source\": \"positions\", \"webhook\": {\"url\": \"https://example.com/h\"}, "
        + "\"fire\": {\"net_position\": {\"_gt\": 1}}" + (batchField == null ? "" : ", \"batch\": " + batchField) + "}";
  }

  /** Verifies that a definition without a batch sends one POST per event and stores no batch field. */
  @Test
  void noBatchByDefault() {
    TriggerDefinition parsed = TriggerDefinitionParser.parse(definition(null));

    assertThat(parsed.batch()).isNull();
    assertThat(parsed.toJsonObject().containsKey("batch")).isFalse();
    assertThat(TriggerDefinitionParser.parse(definition("null")).batch()).isNull();
  }

  /** Verifies a batch with its default wait, and that it keeps its value through the stored form. */
  @Test
  void batchRoundTripsThroughTheStoredForm() {
    TriggerDefinition parsed = TriggerDefinitionParser.parseRequest(definition("{\"max_events\": 100}"), Checks.NONE)
        .definition();

    assertThat(parsed.batch()).isEqualTo(new BatchSpec(100, Duration.ofSeconds(1)));
    assertThat(parsed.toJsonObject().getJsonObject("batch").encode()).isEqualTo("{\"max_events\":100,\"max_wait\":\"1s\"}");
    assertThat(TriggerDefinitionParser.parse(parsed.toJson())).isEqualTo(parsed);
    assertThat(TriggerDefinitionParser.parse(definition("{\"max_events\": 1000, \"max_wait\": \"30s\"}")).batch())
        .isEqualTo(new BatchSpec(1_000, Duration.ofSeconds(30)));
    assertThat(parsed.withBatch(null).batch()).isNull();
  }

  /** Verifies that values out of bounds are invalid_field, and unknown fields unknown_field, naming the full path. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"max_events\": 0}|batch.max_events|INVALID_FIELD",
      "{\"max_events\": 1001}|batch.max_events|INVALID_FIELD",
      "{\"max_events\": 1.5}|batch.max_events|INVALID_FIELD",
      "{\"max_events\": \"10\"}|batch.max_events|INVALID_FIELD",
      "{\"max_wait\": \"1s\"}|batch.max_events|INVALID_FIELD",
      "{\"max_events\": 10, \"max_wait\": \"0ms\"}|batch.max_wait|INVALID_FIELD",
      "{\"max_events\": 10, \"max_wait\": \"31s\"}|batch.max_wait|INVALID_FIELD",
      "{\"max_events\": 10, \"max_wait\": \"1.5s\"}|batch.max_wait|INVALID_FIELD",
      "{\"max_events\": 10, \"max_wait\": 1000}|batch.max_wait|INVALID_FIELD",
      "{\"max_events\": 10, \"size\": 1}|batch.size|UNKNOWN_FIELD",
      "[100]|batch|INVALID_FIELD",
      "100|batch|INVALID_FIELD"})
  void badBatchNamesTheField(String batch, String field, ErrorCode code) {
    assertThatThrownBy(() -> TriggerDefinitionParser.parseRequest(definition(batch), Checks.NONE))
        .isInstanceOfSatisfying(TriggerDefinitionException.class, e -> {
          assertThat(e.code()).isEqualTo(code);
          assertThat(e.field()).isEqualTo(field);
        });
  }

  /** Verifies the duration forms: whole numbers with ms, s, m, h or d, and the shortest exact form back. */
  @Test
  void readsAndWritesDurationText() {
    assertThat(DurationText.parse("500ms")).hasValue(Duration.ofMillis(500));
    assertThat(DurationText.parse("30s")).hasValue(Duration.ofSeconds(30));
    assertThat(DurationText.parse("5m")).hasValue(Duration.ofMinutes(5));
    assertThat(DurationText.parse("2h")).hasValue(Duration.ofHours(2));
    assertThat(DurationText.parse("1d")).hasValue(Duration.ofDays(1));
    assertThat(DurationText.parse("1.5s")).isEmpty();
    assertThat(DurationText.parse("-1s")).isEmpty();
    assertThat(DurationText.parse("1 s")).isEmpty();
    assertThat(DurationText.parse("PT1S")).isEmpty();
    assertThat(DurationText.parse(null)).isEmpty();
    assertThat(DurationText.format(Duration.ofMillis(1_000))).isEqualTo("1s");
    assertThat(DurationText.format(Duration.ofMillis(1_500))).isEqualTo("1500ms");
    assertThat(DurationText.format(Duration.ofMinutes(120))).isEqualTo("2h");
    assertThat(DurationText.format(Duration.ZERO)).isEqualTo("0ms");
  }
}
