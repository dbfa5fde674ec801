package io.tycostream.triggers.source;

/**
 * Told of every status change of a source (state changes and each new failure). Called on the source's context;
 * must not block.
 */
@FunctionalInterface
public interface SourceStatusListener {

  SourceStatusListener NONE = status -> { };

  void onStatus(SourceStatus status);
}
