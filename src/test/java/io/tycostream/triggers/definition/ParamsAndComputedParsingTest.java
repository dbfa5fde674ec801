package io.tycostream.triggers.definition;

import io.tycostream.triggers.definition.TriggerDefinitionParser.Checks;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Verifies that {@code params} and {@code computed} are read with exact numbers and in order, round-trip through the
 * stored form (which is unchanged for definitions without them), and that shape mistakes name the field.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ParamsAndComputedParsingTest {

  private static String definition(String extra) {
    return "{\"name\": \"t\", \"source\": \"positions\", \"webhook\": {\"url\": \"https://example.com/h\"},"
        + " \"fire\": {\"net_position\": {\"_gt\": {\"_param\": \"threshold\"}}}" + extra + "}";
  }

  /** Verifies both fields are read, kept exact and in order, and read back from the stored form. */
  @Test
  void readsAndStoresParamsAndComputed() {
    TriggerDefinition parsed = TriggerDefinitionParser.parse(definition(
        ", \"params\": {\"threshold\": 10000.10000000000000000001, \"desks\": [\"fx\"]},"
            + " \"computed\": {\"z_last\": \"1\", \"a_first\": \"2\"}"));
    assertThat(parsed.params().getValue("threshold")).isEqualTo(new BigDecimal("10000.10000000000000000001"));
    assertThat(parsed.computed().keySet()).containsExactly("z_last", "a_first");
    TriggerDefinition stored = TriggerDefinitionParser.parse(parsed.toJson());
    assertThat(stored).isEqualTo(parsed);
    assertThat(stored.computed().keySet()).containsExactly("z_last", "a_first");
  }

  /** Verifies that a definition without them stores exactly what it stored before these fields existed. */
  @Test
  void storedFormWithoutThemIsUnchanged() {
    TriggerDefinition parsed = TriggerDefinitionParser.parse(definition(""));
    assertThat(new JsonObject(parsed.toJson()).fieldNames()).doesNotContain("params", "computed");
    assertThat(parsed.params().isEmpty()).isTrue();
    assertThat(parsed.computed()).isEmpty();
  }

  /** Verifies shape mistakes name the field. */
  @Test
  void refusesBadShapesNamingTheField() {
    assertRefused(", \"params\": [1]", "params");
    assertRefused(", \"params\": {\"Threshold\": 1}", "params.Threshold");
    assertRefused(", \"params\": {\"threshold\": null}", "params.threshold");
    assertRefused(", \"params\": {\"threshold\": {\"a\": 1}}", "params.threshold");
    assertRefused(", \"params\": {\"desks\": []}", "params.desks");
    assertRefused(", \"params\": {\"desks\": [\"fx\", [1]]}", "params.desks[1]");
    assertRefused(", \"computed\": {\"exposure\": 5}", "computed.exposure");
    assertRefused(", \"computed\": {\"exposure\": \" \"}", "computed.exposure");
    assertRefused(", \"computed\": {\"9lives\": \"1\"}", "computed.9lives");
    assertRefused(", \"computed\": {\"long\": \"" + "1+".repeat(500) + "1\"}", "computed.long");
    StringBuilder many = new StringBuilder(", \"computed\": {");
    for (int i = 0; i <= ComputedFieldsParser.MAX_COMPUTED; i++) {
      many.append(i == 0 ? "" : ", ").append("\"f").append(i).append("\": \"1\"");
    }
    assertRefused(many.append("}").toString(), "computed");
  }

  private static void assertRefused(String extra, String field) {
    assertThatThrownBy(() -> TriggerDefinitionParser.parseRequest(definition(extra), Checks.NONE))
        .isInstanceOfSatisfying(TriggerDefinitionException.class, e -> assertThat(e.field()).isEqualTo(field));
  }
}
