package io.tycostream.triggers.cluster;

/**
 * A source this node should run is still recorded as owned by another member of its view: that member has not given
 * it up yet (it will once it sees the same view), or the views differ for a moment. Not an error: the source is
 * taken on a later re-check, once the owner released it or left.
 */
public final class SourceHeldElsewhere extends RuntimeException {

  public SourceHeldElsewhere(String source, String owner) {
    super("source '" + source + "' is still held by live node " + owner, null, false, false);
  }
}
