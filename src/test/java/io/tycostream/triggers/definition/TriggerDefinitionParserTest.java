package io.tycostream.triggers.definition;

import io.tycostream.triggers.error.ErrorCode;

import io.tycostream.triggers.definition.TriggerDefinitionParser.Checks;
import io.tycostream.triggers.definition.TriggerDefinitionParser.ParsedTrigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.net.URI;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verifies that trigger definitions are read strictly, keep their numbers exact and name the field at fault. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TriggerDefinitionParserTest {

  /** A valid secret: whsec_ and the base64 of 32 bytes 0x00..0x1f. */
  static final String SECRET = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

  private static final String FULL = """
      {
        "name": "risk_position_alert",
        "source": "positions",
        "webhook": { "url": "https://risk.example.com/hooks", "secret": "%s" },
        "fire":  { "net_position": { "_gt": 10000.10000000000000000001 } },
        "clear": { "net_position": { "_lte": 9500 } },
        "include_snapshot": true
      }
      """.formatted(SECRET);

  /** Verifies every field of a complete definition, with a decimal that a double could not hold. */
  @Test
  void readsEveryFieldWithExactNumbers() {
    // GIVEN a complete definition, WHEN it is parsed
    ParsedTrigger parsed = TriggerDefinitionParser.parseRequest(FULL, Checks.NONE);

    // THEN every field is there and the decimal keeps all its digits
    TriggerDefinition definition = parsed.definition();
    assertThat(definition.name()).isEqualTo("risk_position_alert");
    assertThat(definition.source()).isEqualTo("positions");
    assertThat(definition.webhookUrl()).isEqualTo(URI.create("https://risk.example.com/hooks"));
    assertThat(definition.fire().getJsonObject("net_position").getValue("_gt"))
        .isEqualTo(new BigDecimal("10000.10000000000000000001"));
    assertThat(definition.clear().getJsonObject("net_position").getValue("_lte")).isEqualTo(9500L);
    assertThat(definition.includeSnapshot()).isTrue();
    assertThat(parsed.secret()).isEqualTo(SECRET);
    assertThat(parsed.toString()).doesNotContain(SECRET.substring(6));
  }

  /** Verifies that the stored form has no secret and reads back to an equal definition. */
  @Test
  void storedFormRoundTripsWithoutTheSecret() {
    // GIVEN a parsed definition with a secret
    TriggerDefinition definition = TriggerDefinitionParser.parseRequest(FULL, Checks.NONE).definition();

    // WHEN it is written in its stored form and read back
    String stored = definition.toJson();
    TriggerDefinition back = TriggerDefinitionParser.parse(stored);

    // THEN the secret is not in it, the digits are, and nothing changed
    assertThat(stored).doesNotContain("whsec_").doesNotContain("secret")
        .contains("10000.10000000000000000001");
    assertThat(back).isEqualTo(definition);
    assertThat(back.toJson()).isEqualTo(stored);
  }

  /** Verifies that optional fields take their defaults: no clear, no snapshot events, a generated secret. */
  @Test
  void optionalFieldsDefault() {
    // GIVEN the smallest valid definition
    String json = """
        {"name": "a", "source": "s", "webhook": {"url": "http://hooks.example.com"}, "fire": {"x": {"_eq": 1}}}""";

    // WHEN it is parsed
    ParsedTrigger parsed = TriggerDefinitionParser.parseRequest(json, Checks.NONE);

    // THEN clear is absent, include_snapshot is false and no secret was given
    assertThat(parsed.definition().clear()).isNull();
    assertThat(parsed.definition().includeSnapshot()).isFalse();
    assertThat(parsed.secret()).isNull();
    assertThat(parsed.definition().toJson()).doesNotContain("clear");
  }

  /** Verifies the code and field of each kind of bad definition. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      not json                 | {"name": | malformed_json |
      trailing content         | {"name": "a"} {} | malformed_json |
      duplicate key            | {"name": "a", "name": "b"} | malformed_json |
      array instead of object  | [] | malformed_json |
      unknown top field        | {"colour": "red", "name": "a"} | unknown_field | colour
      unknown webhook field    | {"name": "a", "webhook": {"url": "https://x.example", "retries": 3}} | unknown_field | webhook.retries
      missing name             | {"source": "s"} | invalid_field | name
      upper-case name          | {"name": "Risk"} | invalid_field | name
      name too long            | {"name": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"} | invalid_field | name
      numeric name             | {"name": 5} | invalid_field | name
      missing source           | {"name": "a"} | invalid_field | source
      missing webhook          | {"name": "a", "source": "s"} | invalid_field | webhook
      relative url             | {"name": "a", "source": "s", "webhook": {"url": "/hooks"}} | invalid_field | webhook.url
      ftp url                  | {"name": "a", "source": "s", "webhook": {"url": "ftp://x.example/h"}} | invalid_field | webhook.url
      url with credentials     | {"name": "a", "source": "s", "webhook": {"url": "https://u:p@x.example/h"}} | invalid_field | webhook.url
      secret without prefix    | {"name": "a", "source": "s", "webhook": {"url": "https://x.example", "secret": "abc"}} | invalid_field | webhook.secret
      secret too short         | {"name": "a", "source": "s", "webhook": {"url": "https://x.example", "secret": "whsec_AAAA"}} | invalid_field | webhook.secret
      missing fire             | {"name": "a", "source": "s", "webhook": {"url": "https://x.example"}} | invalid_field | fire
      empty fire               | {"name": "a", "source": "s", "webhook": {"url": "https://x.example"}, "fire": {}} | invalid_field | fire
      clear not an object      | {"name": "a", "source": "s", "webhook": {"url": "https://x.example"}, "fire": {"x": {"_eq": 1}}, "clear": 3} | invalid_field | clear
      snapshot not a boolean   | {"name": "a", "source": "s", "webhook": {"url": "https://x.example"}, "fire": {"x": {"_eq": 1}}, "include_snapshot": "yes"} | invalid_field | include_snapshot
      """)
  void namesTheFieldAtFault(String what, String json, String code, String field) {
    // GIVEN a definition with one problem, WHEN it is parsed, THEN the problem's code and field are reported
    assertThatThrownBy(() -> TriggerDefinitionParser.parseRequest(json, Checks.NONE))
        .isInstanceOfSatisfying(TriggerDefinitionException.class, e -> {
          assertThat(e.code().code()).as(what).isEqualTo(code);
          assertThat(e.field()).as(what).isEqualTo(field);
        });
  }

  /** Verifies that the service checks run in their documented place: source before URL, target before secret. */
  @Test
  void serviceChecksRunInOrder() {
    // GIVEN checks that know only the source "positions" and refuse every target
    Checks checks = new Checks("positions"::equals, url -> {
      throw new TriggerDefinitionException(ErrorCode.TARGET_NOT_ALLOWED, "webhook.url", "refused");
    });
    String unknownSourceAndBadUrl = """
        {"name": "a", "source": "orders", "webhook": {"url": "nope"}, "fire": {"x": {"_eq": 1}}}""";
    String refusedTargetAndBadSecret = """
        {"name": "a", "source": "positions", "webhook": {"url": "http://127.0.0.1/h", "secret": "x"},
         "fire": {"x": {"_eq": 1}}}""";

    // WHEN definitions with two problems each are parsed, THEN the earlier check reports
    assertThatThrownBy(() -> TriggerDefinitionParser.parseRequest(unknownSourceAndBadUrl, checks))
        .isInstanceOfSatisfying(TriggerDefinitionException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_SOURCE);
          assertThat(e.field()).isEqualTo("source");
        });
    assertThatThrownBy(() -> TriggerDefinitionParser.parseRequest(refusedTargetAndBadSecret, checks))
        .isInstanceOfSatisfying(TriggerDefinitionException.class, e -> assertThat(e.code())
            .isEqualTo(ErrorCode.TARGET_NOT_ALLOWED));
  }

  /** Verifies that the definition cannot be changed through the condition objects it hands out. */
  @Test
  void conditionsCannotBeChangedFromOutside() {
    // GIVEN a parsed definition
    TriggerDefinition definition = TriggerDefinitionParser.parseRequest(FULL, Checks.NONE).definition();

    // WHEN a caller changes the fire condition it was given
    definition.fire().put("price", "changed");

    // THEN the definition is unchanged
    assertThat(definition.fire().fieldNames()).containsExactly("net_position");
  }
}
