package io.tycostream.triggers.definition;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;

/**
 * A trigger definition that cannot be accepted: a {@link ServiceException} with the {@link #field()} path at fault
 * ({@code webhook.url}, {@code colour}), so the admin API answers {@code {"error": {"code", "message", "field"}}}
 * with HTTP 400 and a config loader can name the field. Codes: {@link ErrorCode#MALFORMED_JSON},
 * {@link ErrorCode#UNKNOWN_FIELD}, {@link ErrorCode#INVALID_FIELD}, {@link ErrorCode#UNKNOWN_SOURCE},
 * {@link ErrorCode#TARGET_NOT_ALLOWED}.
 */
public final class TriggerDefinitionException extends ServiceException {

  private static final long serialVersionUID = 1L;

  /**
   * @param field the path at fault, or {@code null} when the problem is the whole document
   */
  public TriggerDefinitionException(ErrorCode code, String field, String message) {
    super(code, message, field);
  }
}
