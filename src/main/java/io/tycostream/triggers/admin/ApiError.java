package io.tycostream.triggers.admin;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The one error shape of the admin HTTP API: {@code {"error": {"code": "...", "message": "...", "field": "..."}}}.
 *
 * @param code    a stable, upper-case machine code (for example {@code NOT_FOUND})
 * @param message a human explanation
 * @param field   the request field at fault, or {@code null}
 */
public record ApiError(String code, String message, String field) {

  public static final String NOT_FOUND = "NOT_FOUND";
  public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
  public static final String INTERNAL = "INTERNAL";

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
