package io.tycostream.triggers.trigger;

import java.util.Objects;

/**
 * A trigger definition that cannot be accepted, with a stable lower-case {@link #code()} and the {@link #field()}
 * path at fault ({@code webhook.url}, {@code colour}), so the admin API can answer
 * {@code {"error": {"code", "message", "field"}}} with HTTP 400 and a config loader can name the field.
 */
public final class TriggerDefinitionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The body is not one well-formed JSON object. */
  public static final String MALFORMED_JSON = "malformed_json";
  /** A field the definition does not know (rejected, never ignored). */
  public static final String UNKNOWN_FIELD = "unknown_field";
  /** A required field is missing, or a field has the wrong type or form. */
  public static final String INVALID_FIELD = "invalid_field";
  /** {@code source} names no configured source. */
  public static final String UNKNOWN_SOURCE = "unknown_source";

  private final String code;
  private final String field;

  /**
   * @param field the path at fault, or {@code null} when the problem is the whole document
   */
  public TriggerDefinitionException(String code, String field, String message) {
    super(message, null, false, false);
    this.code = Objects.requireNonNull(code, "code");
    this.field = field;
  }

  public String code() {
    return code;
  }

  /** The path at fault, or {@code null} for the whole document. */
  public String field() {
    return field;
  }

  @Override
  public String toString() {
    return "TriggerDefinitionException[" + code + (field == null ? "" : " " + field) + ": " + getMessage() + "]";
  }
}
