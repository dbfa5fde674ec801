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

  /**
   * A fresh, consistent snapshot of the whole source at a time {@code T} the source chooses, no earlier than
   * {@code notBefore - 1}: the returned {@link SourceSnapshot#frontier() frontier} {@code B = T + 1} is at least
   * {@code notBefore}, and the rows are the state after every change at times {@code < B} (each stamped
   * {@code B - 1}). Unlike {@link #snapshotAt}, it needs no old history: the source reads at the newest time it can
   * (Materialize: {@code SUBSCRIBE … WITH (PROGRESS, SNAPSHOT = true) AS OF AT LEAST notBefore - 1}, ended after the
   * snapshot's closing progress row), so it works with Materialize's default 1 s retention while changes stream.
   * Used as the baseline of a trigger created while the source runs: the trigger then takes only the changes at
   * times {@code >= B} from the main stream (design.md §3.5).
   * <p>
   * Does not disturb the running stream. May be called from any thread; the future completes on the source's
   * context or the caller's. Fails with a classified {@link SourceSnapshotException}.
   *
   * @param notBefore the lowest acceptable frontier, or {@code null} for "whatever is newest"
   */
  default Future<SourceSnapshot> snapshotAtLeast(BigInteger notBefore) {
    return Future.failedFuture(new UnsupportedOperationException("fresh snapshots are not supported"));
  }
}
