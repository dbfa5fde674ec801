package io.tycostream.triggers.source;

import io.vertx.core.Future;

/**
 * Whoever takes a source's batches: the trigger evaluator in production, a recorder in tests.
 * <p>
 * The source never decides durability. It asks {@link #resumePosition()} at every (re)connect and hands each closed
 * batch to {@link #accept(ChangeBatch)}. It keeps a bounded number of accepted-but-not-completed batches: while
 * that bound is reached it stops fetching (and keeps its session alive), so a slow consumer slows the source
 * instead of growing memory.
 */
public interface BatchConsumer {

  /**
   * Takes one batch. The future completes once the consumer no longer needs the source to hold it back (queued for
   * evaluation or durably stored); a failed future makes the source reconnect and resume from
   * {@link #resumePosition()}.
   */
  Future<Void> accept(ChangeBatch batch);

  /** The position to resume from: the last frontier the consumer made durable, or a snapshot if none. */
  Future<ResumePosition> resumePosition();
}
