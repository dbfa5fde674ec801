package io.tycostream.triggers.source;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a source subscription starts: from a fresh snapshot, or right after a frontier that the consumer has made
 * durable.
 * <p>
 * Only the consumer of a source's batches decides durability; the reader asks for this position at every
 * (re)connect and resumes with {@code AS OF F-1, SNAPSHOT = false} (materialize-subscribe.md §4.4).
 */
public final class ResumePosition {

  private static final ResumePosition SNAPSHOT = new ResumePosition(null);

  private final BigInteger frontier;

  private ResumePosition(BigInteger frontier) {
    this.frontier = frontier;
  }

  /** No durable checkpoint: start with a snapshot at the current time. */
  public static ResumePosition snapshot() {
    return SNAPSHOT;
  }

  /** Resume right after the durable frontier {@code F}: every change at a time {@code >= F} is still to come. */
  public static ResumePosition after(BigInteger frontier) {
    Objects.requireNonNull(frontier, "frontier");
    if (frontier.signum() <= 0) {
      throw new IllegalArgumentException("frontier must be positive: " + frontier);
    }
    return new ResumePosition(frontier);
  }

  /** The durable frontier, empty when the subscription must start from a snapshot. */
  public Optional<BigInteger> frontier() {
    return Optional.ofNullable(frontier);
  }

  public boolean isSnapshot() {
    return frontier == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResumePosition other && Objects.equals(frontier, other.frontier);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(frontier);
  }

  @Override
  public String toString() {
    return frontier == null ? "ResumePosition[snapshot]" : "ResumePosition[after " + frontier + "]";
  }
}
