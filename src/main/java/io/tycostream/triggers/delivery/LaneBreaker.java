package io.tycostream.triggers.delivery;

/**
 * The circuit breaker of one webhook URL, as a pure state machine over a clock the caller passes in.
 * <ul>
 *   <li>CLOSED: requests go; {@code maxFailures} consecutive failures open it (a success resets the count).</li>
 *   <li>OPEN: nothing goes until {@link #reopenAtMs()}; then the first {@link #tryAcquire} is the probe and the
 *       breaker is HALF_OPEN.</li>
 *   <li>HALF_OPEN: nothing else goes while the probe is out; its success closes the circuit, its failure opens it
 *       again for another reset period. A probe that ends without reaching the endpoint (its address was refused)
 *       frees the probe slot for the next request.</li>
 * </ul>
 * Results of requests that started before the circuit opened are ignored: only the probe decides. The breaker never
 * retries and has no timeout of its own (the outbox retries, the HTTP client times out).
 * <p>
 * Not thread-safe: used on the delivery verticle's event loop only.
 */
final class LaneBreaker {

  /** The breaker's position. */
  enum State { CLOSED, OPEN, HALF_OPEN }

  /** What {@link #tryAcquire} grants. */
  enum Permit {
    /** Nothing may be sent now. */
    NONE,
    /** An ordinary request of a closed circuit. */
    REQUEST,
    /** The one request of a half-open circuit, whose verdict closes or re-opens it. */
    PROBE
  }

  /** What an attempt says about its endpoint. */
  enum Verdict {
    /** Answered with a {@code 2xx}. */
    SUCCESS,
    /** Any other answer, a timeout, a connection failure. */
    FAILURE,
    /** No request reached the endpoint for a reason that is not the endpoint's (a refused address, a bad event). */
    NEUTRAL
  }

  private final int maxFailures;
  private final long resetMs;
  private State state = State.CLOSED;
  private int consecutiveFailures;
  private long openedAtMs;

  LaneBreaker(int maxFailures, long resetMs) {
    if (maxFailures < 1 || resetMs < 1) {
      throw new IllegalArgumentException("maxFailures and resetMs must be positive: " + maxFailures + ", " + resetMs);
    }
    this.maxFailures = maxFailures;
    this.resetMs = resetMs;
  }

  /** Asks to send one request now; a {@link Permit#PROBE} makes the circuit half-open. */
  Permit tryAcquire(long nowMs) {
    return switch (state) {
      case CLOSED -> Permit.REQUEST;
      case OPEN -> {
        if (nowMs < reopenAtMs()) {
          yield Permit.NONE;
        }
        state = State.HALF_OPEN;
        yield Permit.PROBE;
      }
      case HALF_OPEN -> Permit.NONE;
    };
  }

  /**
   * Takes the verdict of a request.
   *
   * @param probe whether the request held this breaker's {@link Permit#PROBE}
   * @return {@code true} if this verdict opened the circuit (again)
   */
  boolean record(boolean probe, Verdict verdict, long nowMs) {
    if (probe) {
      return recordProbe(verdict, nowMs);
    }
    if (state != State.CLOSED || verdict == Verdict.NEUTRAL) {
      return false;
    }
    if (verdict == Verdict.SUCCESS) {
      consecutiveFailures = 0;
      return false;
    }
    consecutiveFailures++;
    if (consecutiveFailures >= maxFailures) {
      open(nowMs);
      return true;
    }
    return false;
  }

  private boolean recordProbe(Verdict verdict, long nowMs) {
    switch (verdict) {
      case SUCCESS -> {
        state = State.CLOSED;
        consecutiveFailures = 0;
        return false;
      }
      case FAILURE -> {
        open(nowMs);
        return true;
      }
      default -> {
        // the probe never reached the endpoint: the next request probes instead
        state = State.OPEN;
        openedAtMs = nowMs - resetMs;
        return false;
      }
    }
  }

  private void open(long nowMs) {
    state = State.OPEN;
    openedAtMs = nowMs;
  }

  State state() {
    return state;
  }

  /** Whether a request could start at {@code nowMs} (closed, or open and due for its probe). */
  boolean wouldAllow(long nowMs) {
    return state == State.CLOSED || (state == State.OPEN && nowMs >= reopenAtMs());
  }

  /** When an open circuit lets its probe through. Meaningful while OPEN. */
  long reopenAtMs() {
    return openedAtMs + resetMs;
  }

  /** Consecutive failures counted while closed (reset by a success). */
  int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** Whether the breaker holds no memory worth keeping (closed, no failures counted). */
  boolean isPristine() {
    return state == State.CLOSED && consecutiveFailures == 0;
  }
}
