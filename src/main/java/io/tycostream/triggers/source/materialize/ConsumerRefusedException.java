package io.tycostream.triggers.source.materialize;

/**
 * The {@link io.tycostream.triggers.source.BatchConsumer} failed a batch hand-off or a resume-position request (or
 * let it time out). That is store or evaluator trouble, not a Materialize failure: the reader re-subscribes after a
 * short fixed delay, without growing its reconnect back-off and without reporting a source failure kind.
 * Immutable; no stack trace (the cause carries the consumer's).
 */
final class ConsumerRefusedException extends RuntimeException {

  ConsumerRefusedException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
