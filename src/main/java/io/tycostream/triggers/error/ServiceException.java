package io.tycostream.triggers.error;

import java.util.Objects;

/**
 * The one failure family of the service: an {@link ErrorCode} (which carries the HTTP status), a human message and,
 * where a request or configuration field is at fault, that field's path ({@code webhook.url},
 * {@code fire.quantity._gt}, {@code sources[0].key_columns}). Subclasses exist only to say where a failure comes from
 * (a definition, a condition, the store, a source); every boundary handles the base type, so a new subclass needs no
 * new mapping.
 * <p>
 * Immutable; the stack trace is kept only when a cause is given (request problems need none).
 */
public class ServiceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String field;

  public ServiceException(ErrorCode code, String message) {
    this(code, message, null, null);
  }

  public ServiceException(ErrorCode code, String message, String field) {
    this(code, message, field, null);
  }

  /**
   * @param field the path at fault, or {@code null} when no single field is
   * @param cause the underlying failure, or {@code null}
   */
  public ServiceException(ErrorCode code, String message, String field, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause, false, cause != null);
    this.code = Objects.requireNonNull(code, "code");
    this.field = field;
  }

  public ErrorCode code() {
    return code;
  }

  /** The path at fault, or {@code null}. */
  public String field() {
    return field;
  }

  /**
   * {@code failure} as a service exception: itself when it is one, else {@link ErrorCode#INTERNAL} wrapping it (an
   * unexpected failure is ours to investigate, never the client's).
   */
  public static ServiceException of(Throwable failure) {
    if (failure instanceof ServiceException known) {
      return known;
    }
    return new ServiceException(ErrorCode.INTERNAL, "internal error: " + failure, null, failure);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + code.code() + (field == null ? "" : " " + field) + ": "
        + getMessage() + "]";
  }
}
