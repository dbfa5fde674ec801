package io.tycostream.triggers.delivery;

/**
 * A token bucket: holds at most {@code burst} tokens, starts full, and refills continuously at {@code perSecond}
 * tokens per second. Pure arithmetic on the times it is given (epoch or monotonic milliseconds, as long as they do
 * not go back), so it is tested without a clock or Vert.x.
 * <p>
 * Not thread-safe: used on the delivery verticle's event loop only.
 */
final class TokenBucket {

  private double perMs;
  private int burst;
  private double tokens;
  private long refilledAtMs;

  /** A full bucket at {@code nowMs}. */
  TokenBucket(double perSecond, int burst, long nowMs) {
    reconfigure(perSecond, burst, nowMs);
    this.tokens = burst;
  }

  /** Takes one token if there is one at {@code nowMs}. */
  boolean tryTake(long nowMs) {
    refill(nowMs);
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }

  /** How long from {@code nowMs} until a token is there: 0 when there is one now. */
  long msUntilToken(long nowMs) {
    refill(nowMs);
    if (tokens >= 1) {
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) / perMs));
  }

  /** The tokens there at {@code nowMs}, for operators. */
  double tokens(long nowMs) {
    refill(nowMs);
    return tokens;
  }

  /** Takes a new rate and burst, keeping the tokens saved so far (at most the new burst). */
  void reconfigure(double perSecond, int burst, long nowMs) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("perSecond must be positive and burst at least 1: " + perSecond + ", "
          + burst);
    }
    if (this.perMs > 0) {
      refill(nowMs);
    }
    this.perMs = perSecond / 1000.0;
    this.burst = burst;
    this.tokens = Math.min(tokens, burst);
    this.refilledAtMs = nowMs;
  }

  private void refill(long nowMs) {
    if (nowMs > refilledAtMs) {
      tokens = Math.min(burst, tokens + (nowMs - refilledAtMs) * perMs);
      refilledAtMs = nowMs;
    }
  }
}
