package io.tycostream.triggers.admin;

import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/triggers/{name}/secret:rotate}, optional as a whole:
 * {@code {"secret": "whsec_…", "overlap_seconds": 86400}}. Without {@code secret} a new one is generated; without
 * {@code overlap_seconds} the replaced secret keeps signing for {@link #DEFAULT_OVERLAP}; {@code 0} replaces it at
 * once. Immutable.
 *
 * @param secret  the new secret, {@code null} to generate one
 * @param overlap how long the replaced secret keeps signing next to the new one; zero for none
 */
record SecretRotationRequest(WebhookSecret secret, Duration overlap) {

  static final String SECRET = "secret";
  static final String OVERLAP_SECONDS = "overlap_seconds";
  /** Long enough for a receiver team to deploy the new secret within a working day. */
  static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);
  /** An old secret valid for longer than this is a forgotten rotation, not an overlap. */
  static final Duration MAX_OVERLAP = Duration.ofDays(30);

  private static final Set<String> FIELDS = Set.of(SECRET, OVERLAP_SECONDS);

  /**
   * Reads a request body; blank means every default.
   *
   * @throws ServiceException 400 naming the field at fault (the message never contains a secret)
   */
  static SecretRotationRequest parse(String body) {
    if (body == null || body.isBlank()) {
      return new SecretRotationRequest(null, DEFAULT_OVERLAP);
    }
    JsonObject json;
    try {
      json = new JsonObject(body);
    } catch (DecodeException | ClassCastException notAnObject) {
      throw new ServiceException(ErrorCode.MALFORMED_JSON, "the body must be one JSON object");
    }
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new ServiceException(ErrorCode.UNKNOWN_FIELD, "unknown field '" + field + "' (expected "
            + SECRET + " or " + OVERLAP_SECONDS + ")", field);
      }
    }
    return new SecretRotationRequest(secret(json.getValue(SECRET)), overlap(json.getValue(OVERLAP_SECONDS)));
  }

  private static WebhookSecret secret(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, "secret must be a string 'whsec_<base64>'", SECRET);
    }
    try {
      return WebhookSecret.parse(text);
    } catch (IllegalArgumentException invalid) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, invalid.getMessage(), SECRET);
    }
  }

  private static Duration overlap(Object value) {
    if (value == null) {
      return DEFAULT_OVERLAP;
    }
    if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 0
        && ((Number) value).longValue() <= MAX_OVERLAP.toSeconds()) {
      return Duration.ofSeconds(((Number) value).longValue());
    }
    throw new ServiceException(ErrorCode.INVALID_FIELD, "overlap_seconds must be a whole number of seconds from 0 to "
        + MAX_OVERLAP.toSeconds(), OVERLAP_SECONDS);
  }
}
