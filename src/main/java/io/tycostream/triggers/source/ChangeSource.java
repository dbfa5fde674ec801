package io.tycostream.triggers.source;

import io.vertx.core.Future;

/**
 * A running producer of {@link ChangeBatch}es for one configured source: a Materialize SUBSCRIBE reader, or the
 * in-process load generator.
 * <p>
 * Implementations run on the Vert.x context that called {@link #start()} and never block it. They hand batches to
 * a {@link BatchConsumer} and report every state change to a {@link SourceStatusListener}.
 */
public interface ChangeSource {

  /**
   * Starts producing in the background. The future completes once the source is running (it may still be
   * connecting or retrying); it fails only for a programming or configuration error.
   */
  Future<Void> start();

  /** Stops producing, closes connections and timers. Idempotent. */
  Future<Void> stop();

  /** The latest status (thread-safe snapshot). */
  SourceStatus status();
}
