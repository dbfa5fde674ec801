package io.tycostream.triggers.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies that webhook URLs are read from stored definitions and keyed per endpoint. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebhookTargetTest {

  /** Verifies that the URL is read from {@code webhook.url} with the scheme's default port. */
  @Test
  void readsTheUrlFromTheDefinition() {
    // GIVEN a stored definition
    String definition = "{\"name\":\"t\",\"source\":\"s\",\"webhook\":{\"url\":\"https://Risk.Example.com/hooks?x=1\"},"
        + "\"fire\":{\"qty\":{\"_gt\":1}}}";

    // WHEN it is read
    WebhookTarget target = TriggerDefinitionParser.parse(definition).webhook();

    // THEN the parts a sender needs are there
    assertThat(target.secure()).isTrue();
    assertThat(target.host()).isEqualTo("risk.example.com");
    assertThat(target.port()).isEqualTo(443);
    assertThat(target.requestUri()).isEqualTo("/hooks?x=1");
    assertThat(target.endpoint()).isEqualTo("https://risk.example.com:443");
  }

  /** Verifies that paths do not split an endpoint: one breaker per scheme, host and port. */
  @Test
  void keysEndpointsBySchemeHostAndPort() {
    // GIVEN URLs on the same and on different endpoints
    // WHEN / THEN
    assertThat(WebhookTarget.parse("http://127.0.0.1:8080/a").endpoint())
      .isEqualTo(WebhookTarget.parse("http://127.0.0.1:8080/b?c=d").endpoint())
      .isEqualTo("http://127.0.0.1:8080");
    assertThat(WebhookTarget.parse("http://example.com/").endpoint()).isEqualTo("http://example.com:80");
    assertThat(WebhookTarget.parse("http://[::1]:9000/x").endpoint()).isEqualTo("http://[::1]:9000");
    assertThat(WebhookTarget.parse("http://[::1]:9000/x").host()).isEqualTo("::1");
    assertThat(WebhookTarget.parse("http://example.com").requestUri()).isEqualTo("/");
  }

  /** Verifies that unusable URLs are refused saying what is wrong. */
  @Test
  void refusesUnusableUrls() {
    // GIVEN / WHEN / THEN
    assertThatThrownBy(() -> WebhookTarget.parse(null))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("required");
    assertThatThrownBy(() -> WebhookTarget.parse("https://example.com/" + "x".repeat(WebhookTarget.MAX_URL_LENGTH)))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than");
    assertThatThrownBy(() -> WebhookTarget.parse("ftp://example.com/x"))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http");
    assertThatThrownBy(() -> WebhookTarget.parse("/relative/path"))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http");
    assertThatThrownBy(() -> WebhookTarget.parse("https://user:pw@example.com/"))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user info");
  }
}
