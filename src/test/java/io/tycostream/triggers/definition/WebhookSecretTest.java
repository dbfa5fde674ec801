package io.tycostream.triggers.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies that webhook secrets are read, generated and printed in the Standard Webhooks {@code whsec_} format. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebhookSecretTest {

  private static String whsec(int keyBytes) {
    byte[] key = new byte[keyBytes];
    for (int i = 0; i < keyBytes; i++) {
      key[i] = (byte) (i * 7 + 1);
    }
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }

  /** Verifies that a generated secret has 32 key bytes and reads back to the same key from its value. */
  @Test
  void generatedSecretRoundTripsThroughItsValue() {
    // GIVEN a freshly generated secret
    WebhookSecret secret = WebhookSecret.generate(new SecureRandom());

    // WHEN its value is shown to the user and parsed back
    String value = secret.value();
    WebhookSecret parsed = WebhookSecret.parse(value);

    // THEN the value is whsec_ + base64 of 32 bytes and the key is the same
    assertThat(value).startsWith("whsec_");
    assertThat(Base64.getDecoder().decode(value.substring("whsec_".length()))).hasSize(32);
    assertThat(parsed.keyBytes()).isEqualTo(secret.keyBytes());
    assertThat(parsed).isEqualTo(secret);
  }

  /** Verifies that two generated secrets differ. */
  @Test
  void generatedSecretsAreDistinct() {
    // GIVEN one random source
    SecureRandom random = new SecureRandom();

    // WHEN two secrets are generated
    WebhookSecret first = WebhookSecret.generate(random);
    WebhookSecret second = WebhookSecret.generate(random);

    // THEN they are different keys
    assertThat(first.value()).isNotEqualTo(second.value());
  }

  /** Verifies that the Standard Webhooks example secret (24 key bytes) is accepted and decoded. */
  @Test
  void acceptsTheSpecificationExampleSecret() {
    // GIVEN the secret used by the Standard Webhooks reference tests
    String value = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    // WHEN it is parsed
    WebhookSecret secret = WebhookSecret.parse(value);

    // THEN the key is the base64-decoded remainder and the value is preserved
    assertThat(secret.keyBytes()).isEqualTo(Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    assertThat(secret.keyLength()).isEqualTo(24);
    assertThat(secret.value()).isEqualTo(value);
  }

  /** Verifies that keys of 24 and 64 bytes are the accepted bounds. */
  @Test
  void acceptsKeysFrom24To64Bytes() {
    // GIVEN / WHEN secrets at both bounds are parsed / THEN both are accepted
    assertThat(WebhookSecret.parse(whsec(24)).keyLength()).isEqualTo(24);
    assertThat(WebhookSecret.parse(whsec(64)).keyLength()).isEqualTo(64);
  }

  /** Verifies that each malformed secret is rejected with a message naming the problem. */
  @Test
  void rejectsMalformedSecretsNamingTheProblem() {
    // GIVEN malformed secrets / WHEN parsed / THEN each message says what is wrong
    assertThatThrownBy(() -> WebhookSecret.parse(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> WebhookSecret.parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with 'whsec_'");
    assertThatThrownBy(() -> WebhookSecret.parse("whsec_not*base64!")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid base64");
    assertThatThrownBy(() -> WebhookSecret.parse(whsec(23))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("24 to 64 bytes, was 23 bytes");
    assertThatThrownBy(() -> WebhookSecret.parse(whsec(65))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("24 to 64 bytes, was 65 bytes");
  }

  /** Verifies that neither toString nor a parse error reveals key material. */
  @Test
  void neverRevealsTheKeyInTextMeantForLogs() {
    // GIVEN a secret and a too-short secret
    WebhookSecret secret = WebhookSecret.generate(new SecureRandom());
    String base64Key = secret.value().substring("whsec_".length());
    String shortValue = whsec(10);

    // WHEN printed / WHEN rejected
    String printed = secret.toString();
    Throwable error = catchThrowable(() -> WebhookSecret.parse(shortValue));

    // THEN no part of the key text appears
    assertThat(printed).doesNotContain(base64Key).doesNotContain(base64Key.substring(0, 8));
    assertThat(error.getMessage()).doesNotContain(shortValue.substring("whsec_".length()));
  }
}
