package io.tycostream.triggers.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tycostream.triggers.definition.TriggerDefinitionParser.Checks;
import io.tycostream.triggers.error.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Verifies the optional {@code alert_url} of a definition: absent by default, an absolute http(s) URL under the
 * form rules of {@code webhook.url} and the service's target check, every refusal naming {@code alert_url}, and kept
 * in the stored form.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AlertUrlParsingTest {

  private static final String WITHOUT = """
      {"name": "a", "source": "positions", "webhook": {"url": "https://hooks.example.com/in"},
       "fire": {"x": {"_eq": 1}}}""";

  /** Verifies that a definition without alert_url has none, and that its stored form does not mention it. */
  @Test
  void isAbsentByDefault() {
    TriggerDefinition definition = TriggerDefinitionParser.parseRequest(WITHOUT, Checks.NONE).definition();

    assertThat(definition.alertTarget()).isNull();
    assertThat(definition.toJsonObject().containsKey("alert_url")).isFalse();
  }

  /** Verifies that an alert_url is read, shown as written and read back from the stored form. */
  @Test
  void readsAndStoresTheUrl() {
    // GIVEN a definition with an alert_url
    String json = with("\"https://ops.example.com/alerts?team=risk\"");

    // WHEN it is parsed and its stored form read back
    TriggerDefinition definition = TriggerDefinitionParser.parseRequest(json, Checks.NONE).definition();
    TriggerDefinition stored = TriggerDefinitionParser.parse(definition.toJson());

    // THEN the URL is there, as written, in both
    assertThat(definition.alertTarget().uri()).isEqualTo(URI.create("https://ops.example.com/alerts?team=risk"));
    assertThat(definition.toJsonObject().getString("alert_url")).isEqualTo("https://ops.example.com/alerts?team=risk");
    assertThat(stored).isEqualTo(definition);
    assertThat(stored.alertTarget().host()).isEqualTo("ops.example.com");
  }

  /** Verifies that an explicit null is the same as leaving it out. */
  @Test
  void readsNullAsNone() {
    assertThat(TriggerDefinitionParser.parseRequest(with("null"), Checks.NONE).definition().alertTarget()).isNull();
  }

  /** Verifies that what is no absolute http(s) URL without user info is a 400 naming alert_url. */
  @ParameterizedTest
  @ValueSource(strings = {"42", "\"\"", "\"/relative/path\"", "\"ftp://ops.example.com/x\"",
      "\"https://user:pw@ops.example.com/x\"", "\"https://\"", "{\"url\": \"https://ops.example.com\"}"})
  void refusesWhatIsNoWebhookUrl(String value) {
    assertThatThrownBy(() -> TriggerDefinitionParser.parseRequest(with(value), Checks.NONE))
        .isInstanceOfSatisfying(TriggerDefinitionException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
          assertThat(e.field()).isEqualTo("alert_url");
          assertThat(e.getMessage()).startsWith("alert_url ");
        });
  }

  /**
   * Verifies that the service's target check applies to alert_url as to webhook.url, and that its refusal names
   * alert_url even though the check itself speaks of webhook.url.
   */
  @Test
  void appliesTheServiceTargetCheckNamingAlertUrl() {
    // GIVEN checks that refuse only the host internal.example.com (as the service's policy would, naming webhook.url)
    Checks checks = new Checks("positions"::equals, url -> {
      if ("internal.example.com".equals(url.getHost())) {
        throw new TriggerDefinitionException(ErrorCode.TARGET_NOT_ALLOWED, "webhook.url", "refused target");
      }
    });

    // WHEN an alert_url to that host is parsed, THEN it is refused naming alert_url
    assertThatThrownBy(() -> TriggerDefinitionParser.parseRequest(with("\"https://internal.example.com/a\""), checks))
        .isInstanceOfSatisfying(TriggerDefinitionException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.TARGET_NOT_ALLOWED);
          assertThat(e.field()).isEqualTo("alert_url");
          assertThat(e.getMessage()).contains("refused target");
        });
    // AND another host passes the same checks
    assertThat(TriggerDefinitionParser.parseRequest(with("\"https://ops.example.com/a\""), checks).definition()
        .alertTarget()).isNotNull();
  }

  /** Verifies that with the real policy (https required, no internal target) alert_url is held to the same rules. */
  @Test
  void isHeldToTheWebhookTargetPolicy() {
    WebhookTargetPolicy strict = WebhookTargetPolicy.strict();
    Checks checks = new Checks(source -> true, url -> strict.refusal(url).ifPresent(refusal -> {
      throw new TriggerDefinitionException(ErrorCode.TARGET_NOT_ALLOWED, "webhook.url", refusal);
    }));

    for (String refused : new String[] {"\"http://ops.example.com/a\"", "\"https://127.0.0.1/a\"",
        "\"https://10.1.2.3/a\""}) {
      assertThatThrownBy(() -> TriggerDefinitionParser.parseRequest(with(refused), checks))
          .as(refused)
          .isInstanceOfSatisfying(TriggerDefinitionException.class, e -> assertThat(e.field()).isEqualTo("alert_url"));
    }
  }

  /** Verifies that the copies made by the with… methods keep the alert_url, and withAlertTarget replaces it. */
  @Test
  void survivesCopies() {
    TriggerDefinition definition = TriggerDefinitionParser.parseRequest(with("\"https://ops.example.com/a\""),
        Checks.NONE).definition();

    TriggerDefinition copied = definition.withMode(TriggerMode.DEBUG).withParams(new JsonObject())
        .withRateLimit(null).withGates(null, null).withBatch(null).withOrdering(DeliveryOrdering.PER_KEY);

    assertThat(copied.alertTarget()).isEqualTo(definition.alertTarget());
    assertThat(copied.withAlertTarget(null).alertTarget()).isNull();
    assertThat(copied.withAlertTarget(null).toJsonObject().containsKey("alert_url")).isFalse();
  }

  private static String with(String alertUrl) {
    return WITHOUT.substring(0, WITHOUT.length() - 1) + ", \"alert_url\": " + alertUrl + "}";
  }
}
