package io.tycostream.triggers.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Set;

/**
 * Replaces every value that is or may hold a secret with {@value #REDACTED}, at any depth: fields named like a
 * secret, a key, a token or a password. Used on what the audit log keeps, so no secret is ever stored twice. Pure.
 */
final class SecretRedaction {

  static final String REDACTED = "[redacted]";
  private static final Set<String> SECRET_FIELDS = Set.of("secret", "previous_secret", "key", "key_hash",
      "api_key", "bootstrap_key", "token", "password", "authorization", "master_key");

  private SecretRedaction() {
  }

  /** A redacted copy of {@code json}, {@code null} for {@code null}. */
  static JsonObject redact(JsonObject json) {
    if (json == null) {
      return null;
    }
    JsonObject copy = new JsonObject();
    json.forEach(field -> copy.put(field.getKey(), isSecret(field.getKey()) && field.getValue() != null
        ? REDACTED : redactValue(field.getValue())));
    return copy;
  }

  private static Object redactValue(Object value) {
    if (value instanceof JsonObject object) {
      return redact(object);
    }
    if (value instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(redactValue(item)));
      return copy;
    }
    return value;
  }

  private static boolean isSecret(String field) {
    String name = field.toLowerCase(Locale.ROOT);
    return SECRET_FIELDS.contains(name) || name.endsWith("_secret") || name.endsWith("_token")
        || name.endsWith("_password");
  }
}
