package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.WebhookTarget;
import io.tycostream.triggers.delivery.LaneBreaker.Permit;
import io.tycostream.triggers.delivery.LaneBreaker.Verdict;
import io.tycostream.triggers.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *   <li><b>Breaker.</b> Its own {@link LaneBreaker}. An event that comes due while the circuit is open is
 *       {@linkplain Admission#BLOCKED blocked}: the caller records it as a failed attempt without a request, so it
 *       spends its retry budget on the same schedule as if the endpoint had refused it, and an endpoint that stays
 *       down dead-letters its events instead of holding them forever. Once the reset time has passed, the oldest
 *       waiting event (lowest commit position) is the probe; events coming due meanwhile wait for its answer, and
 *       are blocked when it fails. Every transition is logged once, naming the endpoint.</li>
 * </ul>
 * Not thread-safe: used on the delivery verticle's event loop only.
 */
final class EndpointLane {

  private static final Logger LOG = LoggerFactory.getLogger(EndpointLane.class);

  /** What the lane does with an offered event. */
  enum Admission {
    /** Waits in the lane for a slot. */
    QUEUED,
    /** Not sent: the circuit is open. The caller records a failed attempt without a request. */
    BLOCKED
  }

  private final String endpoint;
  private final int limit;
  private final LaneBreaker breaker;
  private final ArrayDeque<ClaimedEvent> queue = new ArrayDeque<>();
  private final Set<String> busyKeys = new HashSet<>();
  private final Set<String> triggers = new HashSet<>();
  private ClaimedEvent probe;
  private int inFlight;
  private long sinceMs;
  boolean scheduled;

  EndpointLane(String endpoint, int limit, LaneBreaker breaker) {
    this.endpoint = endpoint;
    this.limit = limit;
    this.breaker = breaker;
  }

  /**
   * The lane of a webhook URL: {@code scheme://host:port/path}, without the query, and the client certificate it
   * presents (a receiver refusing one identity says nothing about another). Never logged.
   */
  static String laneKey(WebhookTarget target) {
    String path = target.uri().getRawPath();
    String key = target.endpoint() + (path == null || path.isEmpty() ? "/" : path);
    return target.clientCertificate() == null ? key : key + " " + target.clientCertificate();
  }

  /**
   * Offers a claimed event.
   *
   * @return whether it waits here or is blocked by an open circuit (then the caller records that)
   */
  Admission admit(ClaimedEvent claimed, long nowMs) {
    triggers.add(claimed.event().triggerName());
    if (breaker.state() == LaneBreaker.State.OPEN && nowMs < breaker.reopenAtMs()) {
      return Admission.BLOCKED;
    }
    queue.addLast(claimed);
    return Admission.QUEUED;
  }

  /**
   * Takes the next event to send, if the lane may send one now: below its limit, the circuit allowing, and an event
   * whose key has nothing in flight (the first such in claim order; for a probe, the oldest in commit order).
   */
  ClaimedEvent next(long nowMs) {
    if (inFlight >= limit || queue.isEmpty() || !breaker.wouldAllow(nowMs)) {
      return null;
    }
    boolean probing = breaker.state() == LaneBreaker.State.OPEN;
    ClaimedEvent chosen = null;
    for (ClaimedEvent candidate : queue) {
      if (!busyKeys.contains(candidate.orderingKey())) {
        if (!probing) {
          chosen = candidate;
          break;
        }
        if (chosen == null || candidate.event().sequence() < chosen.event().sequence()) {
          chosen = candidate;
        }
      }
    }
    if (chosen == null) {
      return null;
    }
    Permit permit = breaker.tryAcquire(nowMs);
    if (permit == Permit.NONE) {
      return null;
    }
    queue.remove(chosen);
    busyKeys.add(chosen.orderingKey());
    inFlight++;
    if (permit == Permit.PROBE) {
      probe = chosen;
      sinceMs = nowMs;
      LOG.info("circuit half-open, probing the endpoint with its oldest due event [endpoint: {}, trigger: {}, "
          + "event: {}]", endpoint, chosen.event().triggerName(), chosen.event().eventId());
    }
    return chosen;
  }

  /**
   * Takes the verdict of an attempt started by {@link #next}.
   *
   * @return the waiting events blocked because this verdict opened the circuit (the caller records them)
   */
  List<ClaimedEvent> finished(ClaimedEvent claimed, Verdict verdict, long nowMs) {
    inFlight--;
    busyKeys.remove(claimed.orderingKey());
    boolean wasProbe = probe == claimed;
    if (wasProbe) {
      probe = null;
    }
    int failuresBefore = breaker.consecutiveFailures();
    boolean opened = breaker.record(wasProbe, verdict, nowMs);
    if (wasProbe && breaker.state() == LaneBreaker.State.CLOSED) {
      sinceMs = nowMs;
      LOG.info("circuit closed, the probe was answered [endpoint: {}, trigger: {}, event: {}]", endpoint,
          claimed.event().triggerName(), claimed.event().eventId());
    }
    if (!opened) {
      return List.of();
    }
    sinceMs = nowMs;
    if (wasProbe) {
      LOG.warn("circuit open again, the probe failed; due events are blocked and spend their retry budget "
          + "[endpoint: {}, waiting: {}, next probe in: {} ms]", endpoint, queue.size(), breaker.reopenAtMs() - nowMs);
    } else {
      LOG.warn("circuit open after consecutive failures; due events are blocked and spend their retry budget "
          + "[endpoint: {}, failures: {}, waiting: {}, probe in: {} ms]", endpoint, failuresBefore + 1, queue.size(),
          breaker.reopenAtMs() - nowMs);
    }
    List<ClaimedEvent> blocked = new ArrayList<>(queue);
    queue.clear();
    return blocked;
  }

  /** The breaker as operators see it; {@code openedAtMs} and {@code reopenAtMs} only while not closed. */
  BreakerState state(long nowMs) {
    LaneBreaker.State state = breaker.state();
    boolean closed = state == LaneBreaker.State.CLOSED;
    return new BreakerState(endpoint, Set.copyOf(triggers), state.name().toLowerCase(Locale.ROOT),
        breaker.consecutiveFailures(), closed ? null : Instant.ofEpochMilli(sinceMs),
        state == LaneBreaker.State.OPEN ? Instant.ofEpochMilli(breaker.reopenAtMs()) : null,
        queue.size(), inFlight);
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

  /** Whether the lane holds nothing worth keeping: no events, a closed circuit without failures. */
  boolean isIdle() {
    return queue.isEmpty() && inFlight == 0 && breaker.isPristine();
  }
}
