package io.tycostream.triggers.definition;

import java.time.Duration;
import java.util.Objects;

/**
 * How a batched trigger's events leave (issue #11 item 8): together, as one signed POST of at most {@code maxEvents}
 * events, formed as soon as {@code maxEvents} are due or the oldest due event has waited {@code maxWait}. A trigger
 * without a batch sends one POST per event. Immutable.
 *
 * @param maxEvents at most this many events per POST, {@value #MIN_EVENTS}..{@value #MAX_EVENTS}
 * @param maxWait   how long the oldest due event may wait for others, more than 0 and at most {@link #MAX_WAIT}
 */
public record BatchSpec(int maxEvents, Duration maxWait) {

  public static final int MIN_EVENTS = 1;
  public static final int MAX_EVENTS = 1_000;
  /** {@code max_wait} when the definition leaves it out. */
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(1);
  /**
   * The longest {@code max_wait}: well inside the delivery lease (60 s by default), which a batch's events hold while
   * they wait.
   */
  public static final Duration MAX_WAIT = Duration.ofSeconds(30);

  public BatchSpec {
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxEvents < MIN_EVENTS || maxEvents > MAX_EVENTS) {
      throw new IllegalArgumentException("maxEvents must be " + MIN_EVENTS + ".." + MAX_EVENTS + ", was " + maxEvents);
    }
    if (maxWait.isNegative() || maxWait.isZero() || maxWait.compareTo(MAX_WAIT) > 0) {
      throw new IllegalArgumentException("maxWait must be more than 0 and at most " + MAX_WAIT + ", was " + maxWait);
    }
  }
}
