package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.RateLimit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The claimed events of one rate-limited trigger waiting for a token of its {@link TokenBucket}, in claim order, so
 * they reach their endpoint lane in that order (a key's order is kept) and at most at the trigger's rate.
 * <ul>
 *   <li>Waiting costs nothing: no attempt is counted and the retry budget is untouched; the event stays leased.</li>
 *   <li>Memory stays small: while anything waits the trigger is left out of claims ({@link #holdsEvents()}), so the
 *       backlog stays in the outbox, and at most {@link #holdLimit} events wait here; the rest of a claim is handed
 *       back in place ({@link #offer} says which). The hold limit keeps every wait well under the claim's lease.</li>
 *   <li>Handing back keeps the order: once the gate refuses an event it refuses every later one until the hand-backs
 *       are durable ({@link #handingBack()}, {@link #handedBack()}), and the trigger stays left out of claims until
 *       then, so no later event of a key can be claimed while an earlier one is still leased on its way back.</li>
 *   <li>Other triggers are not held up: the waiting events are not in any lane, so they take no lane slot and do
 *       not fill a lane.</li>
 * </ul>
 * A rate of {@code null} (the limit was removed) lets everything waiting go at once. Pure: times are given.
 * <p>
 * Not thread-safe: used on the delivery verticle's event loop only.
 */
final class RateGate {

  private final String trigger;
  private final long leaseMs;
  private final ArrayDeque<ClaimedEvent> waiting = new ArrayDeque<>();
  private RateLimit limit;
  private TokenBucket bucket;
  private int holdLimit;
  /** Events handed back whose release is not durable yet. */
  private int handingBack;
  /** The timer that releases the next event, -1 when none is set (managed by the scheduler). */
  long timerId = -1;

  RateGate(String trigger, RateLimit limit, long leaseMs, long nowMs) {
    this.trigger = trigger;
    this.leaseMs = leaseMs;
    reconfigure(limit, nowMs);
  }

  /**
   * How many events may wait at once: about a second beyond the burst, and never more than the rate passes in half
   * a lease (so no waiting event outlives its claim).
   */
  static int holdLimit(RateLimit limit, long leaseMs) {
    double rate = limit.perSecondValue();
    long perSecond = (long) Math.ceil(rate);
    long withinHalfLease = (long) Math.floor(rate * leaseMs / 2000.0);
    return (int) Math.max(1, Math.min(limit.burst() + perSecond, withinHalfLease));
  }

  /** Follows a changed rate limit ({@code null}: none any more); tokens saved so far are kept. */
  void reconfigure(RateLimit newLimit, long nowMs) {
    if (newLimit == null) {
      limit = null;
      bucket = null;
      holdLimit = Integer.MAX_VALUE;
      return;
    }
    if (!newLimit.equals(limit)) {
      if (bucket == null) {
        bucket = new TokenBucket(newLimit.perSecondValue(), newLimit.burst(), nowMs);
      } else {
        bucket.reconfigure(newLimit.perSecondValue(), newLimit.burst(), nowMs);
      }
      holdLimit = holdLimit(newLimit, leaseMs);
    }
    limit = newLimit;
  }

  /**
   * Offers a claimed event; it waits here unless {@link #holdLimit} events already wait.
   *
   * @return whether it waits here; if not, the caller hands it back to the outbox at its place
   */
  boolean offer(ClaimedEvent claimed) {
    if (handingBack > 0 || waiting.size() >= holdLimit) {
      return false;
    }
    waiting.addLast(claimed);
    return true;
  }

  /** Takes the waiting events that have a token at {@code nowMs}, oldest first. */
  List<ClaimedEvent> release(long nowMs) {
    List<ClaimedEvent> released = new ArrayList<>();
    while (!waiting.isEmpty() && (bucket == null || bucket.tryTake(nowMs))) {
      released.add(waiting.pollFirst());
    }
    return released;
  }

  /** How long from {@code nowMs} until the next waiting event may go, or -1 when nothing waits. */
  long msUntilNext(long nowMs) {
    if (waiting.isEmpty()) {
      return -1;
    }
    return bucket == null ? 0 : bucket.msUntilToken(nowMs);
  }

  /** Whether events wait here or are on their way back to the outbox: the trigger is then left out of claims. */
  boolean holdsEvents() {
    return !waiting.isEmpty() || handingBack > 0;
  }

  /** One event refused or drained is being handed back to the outbox. */
  void handingBack() {
    handingBack++;
  }

  /** The hand-back of one event is durable (or failed: its lease runs out instead). */
  void handedBack() {
    handingBack = Math.max(0, handingBack - 1);
  }

  /** Whether the gate can be forgotten: nothing waits and its bucket is full again (a new one would be the same). */
  boolean isIdle(long nowMs) {
    return !holdsEvents() && (bucket == null || bucket.tokens(nowMs) >= limit.burst());
  }

  /** Removes and returns every waiting event (a stop hands them back). */
  List<ClaimedEvent> drain() {
    List<ClaimedEvent> drained = new ArrayList<>(waiting);
    waiting.clear();
    return drained;
  }

  int waiting() {
    return waiting.size();
  }

  String trigger() {
    return trigger;
  }

  /** The limiter as operators see it, {@code null} once the limit was removed. */
  RateLimitState state(long nowMs) {
    if (limit == null) {
      return null;
    }
    return new RateLimitState(trigger, limit.perSecond(), limit.burst(), waiting.size(),
        Math.floor(bucket.tokens(nowMs) * 100) / 100);
  }
}
