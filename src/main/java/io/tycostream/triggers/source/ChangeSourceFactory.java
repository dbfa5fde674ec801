package io.tycostream.triggers.source;

import io.vertx.core.Vertx;

/**
 * Makes the {@link ChangeSource} of one configured source, bound to its consumer and status listener. The
 * application picks the implementation (Materialize reader, load generator) and its options; the source verticle
 * only runs what it is given.
 */
@FunctionalInterface
public interface ChangeSourceFactory {

  /** Called once, on the source verticle's context, when it starts. */
  ChangeSource create(Vertx vertx, BatchConsumer consumer, SourceStatusListener listener);
}
