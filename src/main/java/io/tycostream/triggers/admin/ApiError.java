package io.tycostream.triggers.admin;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The one error shape of the admin HTTP API: {@code {"error": {"code": "...", "message": "...", "field": "..."}}}.
 *
 * @param code    a stable, lower-case machine code (for example {@code not_found}); clients switch on it
 * @param message a human explanation
 * @param field   the request field at fault ({@code webhook.url}, {@code fire.quantity._gt}), or {@code null}
 */
public record ApiError(String code, String message, String field) {

  public static final String NOT_FOUND = "not_found";
  public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
  public static final String INTERNAL = "internal";
  public static final String MALFORMED_JSON = "malformed_json";
  public static final String BODY_TOO_LARGE = "body_too_large";
  public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
  public static final String INVALID_FIELD = "invalid_field";
  public static final String INVALID_CONDITION = "invalid_condition";
  public static final String TARGET_NOT_ALLOWED = "target_not_allowed";
  public static final String SOURCE_NOT_READY = "source_not_ready";
  public static final String DUPLICATE_NAME = "duplicate_name";
  public static final String UNAVAILABLE = "unavailable";
  public static final String INVALID_SIGNATURE = "invalid_signature";

  public ApiError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  public JsonObject toJson() {
    return new JsonObject().put("error", new JsonObject()
        .put("code", code)
        .put("message", message)
        .put("field", field));
  }
}
