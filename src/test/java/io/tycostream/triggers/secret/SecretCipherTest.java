package io.tycostream.triggers.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tycostream.triggers.testkit.TestMasterKeys;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Verifies sealing and opening webhook secrets with AES-256-GCM under master keys, without Vert.x. */
class SecretCipherTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  /** Verifies that a sealed secret opens to the same text, names its key id and does not contain the secret. */
  @Test
  void sealedSecretOpensAndNamesItsKey() {
    // GIVEN a cipher under the first test key
    SecretCipher cipher = TestMasterKeys.cipher();

    // WHEN a secret is sealed twice for the same trigger
    String once = cipher.seal("alerts", SECRET);
    String twice = cipher.seal("alerts", SECRET);

    // THEN each is self-describing, uses a fresh nonce, hides the secret and opens to it
    assertThat(once).startsWith("v1:" + TestMasterKeys.FIRST.id() + ":").doesNotContain("whsec_");
    assertThat(once).isNotEqualTo(twice);
    assertThat(SecretCipher.keyIdOf(once)).isEqualTo(TestMasterKeys.FIRST.id());
    assertThat(cipher.open("alerts", once)).isEqualTo(SECRET);
    assertThat(cipher.open("alerts", twice)).isEqualTo(SECRET);
  }

  /** Verifies that a ciphertext moved to another trigger's row does not open (the name is associated data). */
  @Test
  void ciphertextOfAnotherTriggerDoesNotOpen() {
    SecretCipher cipher = TestMasterKeys.cipher();
    String sealed = cipher.seal("alerts", SECRET);

    assertThatThrownBy(() -> cipher.open("other", sealed))
        .isInstanceOf(UnreadableSecretException.class)
        .hasMessageContaining("authentication tag fails")
        .hasMessageNotContaining(SECRET);
  }

  /** Verifies that a secret sealed under a key that is not configured fails naming that key id. */
  @Test
  void unknownKeyIdIsNamed() {
    // GIVEN a secret sealed under the first key
    String sealed = TestMasterKeys.cipher().seal("alerts", SECRET);

    // WHEN a cipher holding only the second key opens it
    SecretCipher other = SecretCipher.create(TestMasterKeys.SECOND, List.of());

    // THEN it fails naming the missing key id and the configured one
    assertThatThrownBy(() -> other.open("alerts", sealed))
        .isInstanceOf(UnreadableSecretException.class)
        .hasMessageContaining("master key id '" + TestMasterKeys.FIRST.id() + "'")
        .hasMessageContaining("not configured")
        .hasMessageContaining(TestMasterKeys.SECOND.id());
  }

  /** Verifies that a wrong key claiming the right id fails on the tag, never yielding a wrong secret. */
  @Test
  void tamperedCiphertextFailsItsTag() {
    SecretCipher cipher = TestMasterKeys.cipher();
    String sealed = cipher.seal("alerts", SECRET);
    char last = sealed.charAt(sealed.length() - 3);
    String tampered = sealed.substring(0, sealed.length() - 3) + (last == 'A' ? 'B' : 'A') + sealed.substring(
        sealed.length() - 2);

    assertThatThrownBy(() -> cipher.open("alerts", tampered)).isInstanceOf(UnreadableSecretException.class);
  }

  /** Verifies that a previous key still opens what it sealed while new secrets go under the current key. */
  @Test
  void previousKeyOpensButCurrentSeals() {
    String old = TestMasterKeys.cipher().seal("alerts", SECRET);
    SecretCipher rotated = SecretCipher.create(TestMasterKeys.SECOND, List.of(TestMasterKeys.FIRST));

    assertThat(rotated.open("alerts", old)).isEqualTo(SECRET);
    assertThat(rotated.isCurrent(old)).isFalse();
    assertThat(rotated.isCurrent(rotated.seal("alerts", SECRET))).isTrue();
    assertThat(SecretCipher.isSealed(SECRET)).isFalse();
  }

  /** Verifies that key ids are the first 8 hex characters of SHA-256 and that a key never shows in toString. */
  @Test
  void keyIdIsShortHashAndKeyStaysHidden() {
    MasterKey key = TestMasterKeys.FIRST;

    assertThat(key.id()).matches("[0-9a-f]{8}");
    assertThat(key.toString()).doesNotContain(key.toBase64());
    assertThat(MasterKey.fromBase64(key.toBase64())).isEqualTo(key);
    assertThatThrownBy(() -> MasterKey.fromBase64("c2hvcnQ=")).hasMessageContaining("decodes to 5 bytes");
  }
}
