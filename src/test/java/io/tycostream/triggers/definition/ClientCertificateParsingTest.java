package io.tycostream.triggers.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tycostream.triggers.definition.TriggerDefinitionParser.Checks;
import io.tycostream.triggers.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Verifies {@code webhook.client_certificate} (#9 item 5) in a definition: a name only (never a path), carried on the
 * webhook target, stored only when given (other triggers' stored form unchanged), checked by the service's
 * {@link Checks} after the secret, and malformed values refused naming the field.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientCertificateParsingTest {

  private static String definition(String webhookExtra) {
    return "{\"name\": \"t1\", \"source\": \"positions\", \"webhook\": {\"url\": \"https://example.com/h\""
        + (webhookExtra == null ? "" : ", " + webhookExtra) + "}, \"fire\": {\"net_position\": {\"_gt\": 1}}}";
  }

  /** Verifies that a name is carried on the target, round-trips through the stored form, and shows under webhook. */
  @Test
  void carriesTheNameOnTheWebhookTarget() {
    TriggerDefinition parsed = TriggerDefinitionParser.parseRequest(
        definition("\"client_certificate\": \"partner_a-1\""), Checks.NONE).definition();

    assertThat(parsed.webhook().clientCertificate()).isEqualTo("partner_a-1");
    assertThat(parsed.webhook().uri().toString()).isEqualTo("https://example.com/h");
    assertThat(parsed.toJsonObject().getJsonObject("webhook").getString("client_certificate"))
        .isEqualTo("partner_a-1");
    assertThat(TriggerDefinitionParser.parse(parsed.toJson())).isEqualTo(parsed);
  }

  /** Verifies that a trigger without one (or with null) has none, and its stored webhook is just the URL. */
  @Test
  void storesNothingWhenNotGiven() {
    for (String extra : new String[] {null, "\"client_certificate\": null"}) {
      TriggerDefinition parsed = TriggerDefinitionParser.parseRequest(definition(extra), Checks.NONE).definition();
      assertThat(parsed.webhook().clientCertificate()).isNull();
      assertThat(parsed.toJson()).contains("\"webhook\":{\"url\":\"https://example.com/h\"}");
    }
  }

  /** Verifies that the service check sees the name, after the secret, and its refusal is what the caller gets. */
  @Test
  void asksTheServiceCheckAfterTheSecret() {
    List<String> asked = new ArrayList<>();
    Checks checks = new Checks(source -> true, url -> { }, name -> {
      asked.add(name);
      throw new TriggerDefinitionException(ErrorCode.INVALID_FIELD, "webhook.client_certificate", "not configured");
    });

    assertThatThrownBy(() -> TriggerDefinitionParser.parseRequest(definition("\"client_certificate\": \"b\""), checks))
        .isInstanceOfSatisfying(TriggerDefinitionException.class,
            e -> assertThat(e.field()).isEqualTo("webhook.client_certificate"))
        .hasMessage("not configured");
    assertThat(asked).containsExactly("b");
    // a bad secret is reported first, and the check is not asked for a trigger without a name
    assertThatThrownBy(() -> TriggerDefinitionParser.parseRequest(
        definition("\"secret\": \"nope\", \"client_certificate\": \"b\""), checks))
        .isInstanceOfSatisfying(TriggerDefinitionException.class,
            e -> assertThat(e.field()).isEqualTo("webhook.secret"));
    TriggerDefinitionParser.parseRequest(definition(null), checks);
    assertThat(asked).containsExactly("b");
  }

  /** Verifies that anything but a name is refused naming the field: paths, upper case, too long, not a string. */
  @ParameterizedTest
  @ValueSource(strings = {"\"/etc/tycostream/master.key\"", "\"Partner\"", "\"\"", "\"a b\"", "7", "{\"file\": \"x\"}",
      "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""})
  void refusesAnythingButAName(String value) {
    assertThatThrownBy(() -> TriggerDefinitionParser.parseRequest(definition("\"client_certificate\": " + value),
        Checks.NONE))
        .isInstanceOfSatisfying(TriggerDefinitionException.class, e -> {
          assertThat(e.field()).isEqualTo("webhook.client_certificate");
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
        });
  }
}
