package io.tycostream.triggers.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Who runs a source, as the store records it: the node that took it last and the fencing epoch of that take-over.
 *
 * @param source     the source name
 * @param owner      the node id of the owner
 * @param epoch      raised by every take-over; commits of an older epoch are refused
 * @param acquiredAt when the owner took the source
 */
public record SourceOwner(String source, String owner, long epoch, Instant acquiredAt) {

  public SourceOwner {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(acquiredAt, "acquiredAt");
  }
}
