package io.tycostream.triggers.admin;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The one error shape of the admin HTTP API, {@code {"error": {"code": "...", "message": "...", "field": "..."}}},
 * built from a {@link ServiceException}: the HTTP boundary of the service's error family. Internal and
 * unavailable failures are answered with a generic message (their detail is logged, never sent); every other code
 * keeps its message, which tells the client what to fix or wait for.
 *
 * @param status  the HTTP status
 * @param code    a stable, lower-case machine code (for example {@code not_found}); clients switch on it
 * @param message a human explanation
 * @param field   the request field at fault ({@code webhook.url}, {@code fire.quantity._gt}), or {@code null}
 */
public record ApiError(int status, String code, String message, String field) {

  public ApiError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  /** The answer for {@code failure}; anything that is not a {@link ServiceException} is an internal error. */
  public static ApiError of(Throwable failure) {
    ServiceException error = ServiceException.of(failure);
    ErrorCode code = error.code();
    String message = switch (code) {
      case INTERNAL -> "internal error";
      case UNAVAILABLE -> "the service cannot handle this request now, retry later";
      default -> error.getMessage();
    };
    return new ApiError(code.httpStatus(), code.code(), message, error.field());
  }

  public JsonObject toJson() {
    return new JsonObject().put("error", new JsonObject()
        .put("code", code)
        .put("message", message)
        .put("field", field));
  }
}
