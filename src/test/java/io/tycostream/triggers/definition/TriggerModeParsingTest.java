package io.tycostream.triggers.definition;

import io.tycostream.triggers.definition.TriggerDefinitionParser.Checks;
import io.tycostream.triggers.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verifies the {@code mode} field of a definition (#10): live by default, debug on request, anything else a 400. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TriggerModeParsingTest {

  private static String definition(String modeField) {
    return "{\"name\": \"t1\", \"source\": \"positions\", \"webhook\": {\"url\": \"https://example.com/h\"}, "
        + "\"fire\": {\"net_position\": {\"_gt\": 1}}" + (modeField == null ? "" : ", \"mode\": " + modeField) + "}";
  }

  /** Verifies that a definition without a mode (every one stored before modes existed) is live. */
  @Test
  void modeDefaultsToLive() {
    TriggerDefinition parsed = TriggerDefinitionParser.parse(definition(null));

    assertThat(parsed.mode()).isEqualTo(TriggerMode.LIVE);
    assertThat(parsed.toJsonObject().getString("mode")).isEqualTo("live");
  }

  /** Verifies that a debug definition keeps its mode through the stored form. */
  @Test
  void debugModeRoundTripsThroughTheStoredForm() {
    TriggerDefinition parsed = TriggerDefinitionParser.parseRequest(definition("\"debug\""), Checks.NONE)
        .definition();

    assertThat(parsed.mode()).isEqualTo(TriggerMode.DEBUG);
    assertThat(TriggerDefinitionParser.parse(parsed.toJson())).isEqualTo(parsed);
    assertThat(parsed.withMode(TriggerMode.LIVE).mode()).isEqualTo(TriggerMode.LIVE);
  }

  /** Verifies that anything but "live" or "debug" is invalid_field naming mode. */
  @ParameterizedTest
  @ValueSource(strings = {"\"DEBUG\"", "\"dry\"", "\"\"", "true", "1", "{}"})
  void unknownModeNamesTheField(String value) {
    assertThatThrownBy(() -> TriggerDefinitionParser.parseRequest(definition(value), Checks.NONE))
        .isInstanceOfSatisfying(TriggerDefinitionException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
          assertThat(e.field()).isEqualTo("mode");
        });
  }
}
