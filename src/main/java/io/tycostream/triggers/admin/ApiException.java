package io.tycostream.triggers.admin;

import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.tycostream.triggers.trigger.TriggerDefinitionException;
import io.tycostream.triggers.trigger.condition.ConditionException;

import java.util.Locale;
import java.util.Objects;

/**
 * A failure of an admin operation with the HTTP status and {@link ApiError} it is answered with. Every failure that
 * reaches the HTTP boundary goes through {@link #from(Throwable)}, the one place where the trigger, condition and
 * store error families are mapped to HTTP.
 */
public final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient ApiError error;

  public ApiException(int status, ApiError error) {
    super(error.message(), null, false, false);
    this.status = status;
    this.error = Objects.requireNonNull(error, "error");
  }

  public ApiException(int status, String code, String message, String field) {
    this(status, new ApiError(code, message, field));
  }

  public int status() {
    return status;
  }

  public ApiError error() {
    return error;
  }

  /** Whether this is a server-side failure (5xx) rather than a problem with the request. */
  public boolean serverSide() {
    return status >= 500;
  }

  /** The HTTP answer for {@code failure}; unknown failures become 500 {@code internal}. */
  public static ApiException from(Throwable failure) {
    if (failure instanceof ApiException api) {
      return api;
    }
    if (failure instanceof TriggerDefinitionException definition) {
      return new ApiException(400, definition.code(), definition.getMessage(), definition.field());
    }
    if (failure instanceof ConditionException condition) {
      return new ApiException(400, ApiError.INVALID_CONDITION, condition.field() + ": " + condition.getMessage(),
          condition.field());
    }
    if (failure instanceof StoreException store) {
      return fromStore(store);
    }
    return new ApiException(500, ApiError.INTERNAL, "internal error", null);
  }

  private static ApiException fromStore(StoreException store) {
    StoreErrorCode code = store.code();
    return switch (code) {
      case DUPLICATE -> new ApiException(409, ApiError.DUPLICATE_NAME, "a trigger with this name already exists",
          "name");
      case NOT_FOUND -> new ApiException(404, ApiError.NOT_FOUND, "no such trigger", "name");
      case UNAVAILABLE -> new ApiException(503, ApiError.UNAVAILABLE, "the store is unavailable, retry later", null);
      default -> code.httpStatus() >= 500 ? new ApiException(500, ApiError.INTERNAL, "internal error", null)
          : new ApiException(code.httpStatus(), code.name().toLowerCase(Locale.ROOT), store.getMessage(), null);
    };
  }
}
