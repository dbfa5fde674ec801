package io.tycostream.triggers.trigger.condition;

/**
 * A {@code where} condition that cannot be compiled against a source's schema.
 * <p>
 * {@link #field()} is the JSON path of the offending element, rooted at the trigger field that holds the condition
 * (for example {@code fire.quantity._gt}, {@code fire._and[1].price._in[2]}). The admin API maps this to HTTP 400
 * with {@code {"error": {"code": "invalid_condition", "message": …, "field": …}}}.
 */
public final class ConditionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The error code of every condition problem. */
  public static final String CODE = "invalid_condition";

  private final String field;

  public ConditionException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** Always {@value #CODE}. */
  public String code() {
    return CODE;
  }

  /** The JSON path of the offending element, such as {@code fire.quantity._gt}. */
  public String field() {
    return field;
  }

  @Override
  public String toString() {
    return "ConditionException[" + field + ": " + getMessage() + "]";
  }
}
