package io.tycostream.triggers.source;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A point-in-time view of a source, for health checks, logs and tests.
 *
 * @param source        the configured source name
 * @param state         the life-cycle state
 * @param lastFailure   the most recent failure, or {@code null} if none since start
 * @param lastFrontier  the frontier of the last batch handed to the consumer, or {@code null}
 */
public record SourceStatus(String source, SourceState state, SourceFailure lastFailure, BigInteger lastFrontier) {

  public SourceStatus {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(state, "state");
  }
}
