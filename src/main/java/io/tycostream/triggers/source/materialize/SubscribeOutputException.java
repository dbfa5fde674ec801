package io.tycostream.triggers.source.materialize;

/**
 * The SUBSCRIBE output is not what the reader can handle (unexpected columns, an unknown {@code mz_state}, too many
 * unclosed rows). Classified as {@link io.tycostream.triggers.source.FailureKind#FATAL}: retrying soon will not help.
 */
public final class SubscribeOutputException extends RuntimeException {

  public SubscribeOutputException(String message) {
    super(message);
  }
}
