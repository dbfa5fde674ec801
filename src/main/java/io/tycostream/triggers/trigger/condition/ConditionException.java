package io.tycostream.triggers.trigger.condition;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;

/**
 * A {@code where} condition that cannot be compiled against a source's schema.
 * <p>
 * {@link #field()} is the JSON path of the offending element, rooted at the trigger field that holds the condition
 * (for example {@code fire.quantity._gt}, {@code fire._and[1].price._in[2]}). The admin API answers it with HTTP 400 and
 * {@code {"error": {"code": "invalid_condition", "message": …, "field": …}}}.
 */
public final class ConditionException extends ServiceException {

  private static final long serialVersionUID = 1L;

  /**
   * @param field the JSON path of the offending element, such as {@code fire.quantity._gt}
   */
  public ConditionException(String field, String message) {
    super(ErrorCode.INVALID_CONDITION, message, field);
  }
}
