package io.tycostream.triggers.source;

import io.vertx.core.Future;

import java.math.BigInteger;

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

  /**
   * The full contents of the source as of {@code frontier} {@code F}: every row after applying all changes at times
   * {@code < F}, the state a consumer holds right after committing the batch with frontier {@code F}. Used as the
   * baseline of a trigger created while the source runs (design.md §3.4–3.5).
   * <p>
   * Does not disturb the running stream (no pause, no reconnect). May be called from any thread; the future
   * completes on the source's context or the caller's. It fails with a {@link SourceSnapshotException} whose
   * {@link SourceSnapshotException#kind() kind} is {@link FailureKind#HISTORY_LOST} when {@code F} is older than the
   * source retains.
   */
  Future<SourceSnapshot> snapshotAt(BigInteger frontier);
}
