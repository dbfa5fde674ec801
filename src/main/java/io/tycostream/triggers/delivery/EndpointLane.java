package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.WebhookTarget;
import io.tycostream.triggers.delivery.LaneBreaker.Permit;
import io.tycostream.triggers.delivery.LaneBreaker.Verdict;
import io.tycostream.triggers.store.StoredEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The claimed events of one webhook URL (scheme, host, port and path: {@code /ok} and {@code /fail} of one receiver
 * are two lanes) and the rules that keep its traffic from hurting anyone else's:
 * <ul>
 *   <li><b>Order.</b> Events wait in claim order (commit order), and an event whose key (trigger and row key) has an
 *       attempt in flight waits for that attempt's answer, so a key's events leave one after the other.</li>
 *   <li><b>Limit.</b> At most {@code limit} requests in flight. Once {@code limit} events wait, the lane asks to be
 *       left out of claims ({@link #isExcluded()}) until fewer wait: its other events stay in the outbox, in order,
 *       and claims move on to other endpoints. At most one claim in progress adds to a full lane, so it never holds
 *       more than {@code limit} plus one claim's events waiting.</li>
 *   <li><b>Breaker.</b> Its own {@link LaneBreaker}. While the circuit is open, every event of the lane is postponed,
 *       without an attempt, to the reopen time plus an offset that grows with the event's commit position: spread
 *       over at most {@link #MAX_PARK_WINDOW_MS}, yet never out of commit order. The first event due, the lane's
 *       oldest, is the probe. Until the spread has passed, later events wait for their slot, so none overtakes a
 *       parked one.</li>
 * </ul>
 * Not thread-safe: used on the delivery verticle's event loop only.
 */
final class EndpointLane {

  /** Longest spread of the reopen times of an open circuit's events. */
  static final long MAX_PARK_WINDOW_MS = 10_000;
  /** Commit positions per millisecond of spread: a backlog comes due at about 10,000 events a second. */
  static final long POSITIONS_PER_PARK_MS = 10;

  /** What the lane does with an offered event. */
  enum Admission {
    /** Waits in the lane for a slot. */
    QUEUED,
    /** Postponed unsent to {@link #parkedUntilMs(StoredEvent)}. */
    POSTPONED
  }

  /** An event taken out of the lane by an opening circuit, and when it is due again. */
  record Parked(ClaimedEvent claimed, long untilMs) {
  }

  private final String endpoint;
  private final int limit;
  private final LaneBreaker breaker;
  private final long parkWindowMs;
  private final ArrayDeque<ClaimedEvent> queue = new ArrayDeque<>();
  private final Set<String> busyKeys = new HashSet<>();
  private final Set<String> triggers = new HashSet<>();
  private ClaimedEvent probe;
  private int inFlight;
  private boolean parking;
  private long parkFromMs;
  private long parkBaseSequence = -1;
  boolean scheduled;

  EndpointLane(String endpoint, int limit, LaneBreaker breaker, long breakerResetMs) {
    this.endpoint = endpoint;
    this.limit = limit;
    this.breaker = breaker;
    this.parkWindowMs = Math.max(1, Math.min(MAX_PARK_WINDOW_MS, breakerResetMs / 2));
  }

  /** The lane of a webhook URL: {@code scheme://host:port/path}, without the query. Never logged. */
  static String laneKey(WebhookTarget target) {
    String path = target.uri().getRawPath();
    return target.endpoint() + (path == null || path.isEmpty() ? "/" : path);
  }

  /**
   * Offers a claimed event.
   *
   * @return whether it waits here or is postponed (then the caller records that)
   */
  Admission admit(ClaimedEvent claimed, long nowMs) {
    triggers.add(claimed.event().triggerName());
    if (mustWaitForSlot(claimed.event(), nowMs)) {
      return Admission.POSTPONED;
    }
    queue.addLast(claimed);
    return Admission.QUEUED;
  }

  /** While parking, when an event's slot is; call after {@link #admit} said {@link Admission#POSTPONED}. */
  long parkedUntilMs(StoredEvent event) {
    long offset = (event.sequence() - parkBaseSequence) / POSITIONS_PER_PARK_MS;
    return parkFromMs + Math.max(0, Math.min(parkWindowMs, offset));
  }

  private boolean mustWaitForSlot(StoredEvent event, long nowMs) {
    if (breaker.state() == LaneBreaker.State.OPEN && nowMs < breaker.reopenAtMs()) {
      if (!parking || parkFromMs != breaker.reopenAtMs()) {
        startParking(-1);
      }
      if (parkBaseSequence < 0) {
        parkBaseSequence = event.sequence();
      }
      return true;
    }
    if (!parking) {
      return false;
    }
    if (breaker.state() == LaneBreaker.State.CLOSED && nowMs >= parkFromMs + parkWindowMs) {
      parking = false;
      return false;
    }
    if (parkBaseSequence < 0) {
      parkBaseSequence = event.sequence();
    }
    return nowMs < parkedUntilMs(event);
  }

  private void startParking(long baseSequence) {
    parking = true;
    parkFromMs = breaker.reopenAtMs();
    parkBaseSequence = baseSequence;
  }

  /**
   * Takes the next event to send, if the lane may send one now: below its limit, the circuit allowing, and an event
   * whose key has nothing in flight (the first such in claim order).
   */
  ClaimedEvent next(long nowMs) {
    if (inFlight >= limit || queue.isEmpty() || !breaker.wouldAllow(nowMs)) {
      return null;
    }
    Iterator<ClaimedEvent> waiting = queue.iterator();
    while (waiting.hasNext()) {
      ClaimedEvent candidate = waiting.next();
      if (!busyKeys.contains(candidate.orderingKey())) {
        Permit permit = breaker.tryAcquire(nowMs);
        if (permit == Permit.NONE) {
          return null;
        }
        waiting.remove();
        busyKeys.add(candidate.orderingKey());
        inFlight++;
        if (permit == Permit.PROBE) {
          probe = candidate;
        }
        return candidate;
      }
    }
    return null;
  }

  /**
   * Takes the verdict of an attempt started by {@link #next}.
   *
   * @return the waiting events to postpone because this verdict opened the circuit, each with its slot
   */
  List<Parked> finished(ClaimedEvent claimed, Verdict verdict, long nowMs) {
    inFlight--;
    busyKeys.remove(claimed.orderingKey());
    boolean wasProbe = probe == claimed;
    if (wasProbe) {
      probe = null;
    }
    if (!breaker.record(wasProbe, verdict, nowMs)) {
      return List.of();
    }
    startParking(queue.isEmpty() ? -1 : queue.peekFirst().event().sequence());
    List<Parked> parked = new ArrayList<>(queue.size());
    for (ClaimedEvent waiting : queue) {
      parked.add(new Parked(waiting, parkedUntilMs(waiting.event())));
    }
    queue.clear();
    return parked;
  }

  /** Removes and returns every waiting event (a stop hands them back). */
  List<ClaimedEvent> drain() {
    List<ClaimedEvent> waiting = new ArrayList<>(queue);
    queue.clear();
    return waiting;
  }

  /** Whether claims should leave this lane's triggers out: {@code limit} events wait already. */
  boolean isExcluded() {
    return queue.size() >= limit;
  }

  /** The triggers whose events came to this lane. */
  Set<String> triggers() {
    return triggers;
  }

  int queued() {
    return queue.size();
  }

  int inFlight() {
    return inFlight;
  }

  /** {@code scheme://host:port}, for log lines. */
  String endpoint() {
    return endpoint;
  }

  /** Whether the lane holds nothing worth keeping: no events, a closed circuit without failures, no parking. */
  boolean isIdle(long nowMs) {
    boolean parked = parking && (breaker.state() != LaneBreaker.State.CLOSED || nowMs < parkFromMs + parkWindowMs);
    return queue.isEmpty() && inFlight == 0 && !parked && breaker.isPristine();
  }
}
