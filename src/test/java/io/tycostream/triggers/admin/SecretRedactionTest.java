package io.tycostream.triggers.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Verifies what the audit log may keep of a changed object: everything but secrets, keys, tokens and passwords. */
class SecretRedactionTest {

  /** Verifies that secret-like fields are replaced at any depth, and everything else is kept as it was. */
  @Test
  void redactsSecretFieldsAtAnyDepth() {
    // GIVEN an object with secrets at the top, in a nested object and in an array
    JsonObject changed = new JsonObject()
        .put("name", "risk")
        .put("secret", "whsec_top")
        .put("webhook", new JsonObject().put("url", "https://hooks.example.com").put("signing_secret", "s1"))
        .put("keys", new JsonArray().add(new JsonObject().put("key", "k1").put("role", "read")))
        .put("previous_secret", null)
        .put("Auth_Token", "t1");

    // WHEN it is redacted
    JsonObject kept = SecretRedaction.redact(changed);

    // THEN every secret is replaced, absent ones stay null, the rest is unchanged, and the input is untouched
    assertThat(kept).isEqualTo(new JsonObject()
        .put("name", "risk")
        .put("secret", SecretRedaction.REDACTED)
        .put("webhook", new JsonObject().put("url", "https://hooks.example.com")
            .put("signing_secret", SecretRedaction.REDACTED))
        .put("keys", new JsonArray().add(new JsonObject().put("key", SecretRedaction.REDACTED).put("role", "read")))
        .put("previous_secret", null)
        .put("Auth_Token", SecretRedaction.REDACTED));
    assertThat(changed.getString("secret")).isEqualTo("whsec_top");
    assertThat(SecretRedaction.redact(null)).isNull();
  }
}
