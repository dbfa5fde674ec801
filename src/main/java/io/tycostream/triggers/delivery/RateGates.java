package io.tycostream.triggers.delivery;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The {@link RateGate}s of the rate-limited triggers of the {@link AttemptScheduler}, by trigger name: an event (or a
 * batch, as one unit) of a trigger with a {@code rate_limit} waits in its gate until the trigger's token bucket
 * allows it, in claim order, outside any lane, then goes on to its lane. A gate that is full hands the event back to
 * the outbox at its place and refuses every later one until the hand-back is durable, so a key's later event cannot
 * overtake it; while a gate holds anything its trigger is left out of claims, so a backlog stays in the outbox.
 * <p>
 * Not thread-safe: used on the delivery verticle's event loop only.
 */
final class RateGates {

  /** What the gates ask of the scheduler that owns them. */
  interface Owner {

    /** Sends a unit to its endpoint's lane. */
    void toLane(ClaimedEvent unit);

    /**
     * Records the unit's events as released (back to the outbox, unsent) and calls {@code written} once every record
     * ended, with {@code 0} when all are durable, else the lease end (epoch ms) until which the events stay leased.
     */
    void release(ClaimedEvent unit, Consumer<Long> written);

    /** Whether the scheduler still takes events (it is not stopping). */
    boolean accepting();

    /** A gate let events through: start what may start. */
    void pump();

    /** A gate stopped holding events: its trigger's events may be claimed again. */
    void exclusionEnded();
  }

  private final Map<String, RateGate> gates = new HashMap<>();
  private final Vertx vertx;
  private final long leaseMs;
  private final LongSupplier clockMs;
  private final Owner owner;

  RateGates(Vertx vertx, long leaseMs, LongSupplier clockMs, Owner owner) {
    this.vertx = vertx;
    this.leaseMs = leaseMs;
    this.clockMs = clockMs;
    this.owner = owner;
  }

  /** Sends a routed unit through its trigger's gate when it has one (or events still wait in one), else to its lane. */
  void admit(ClaimedEvent unit) {
    TriggerEndpoint endpoint = unit.endpoint();
    RateGate gate = gates.get(endpoint.name());
    if (gate == null && endpoint.rateLimit() == null) {
      owner.toLane(unit);
      return;
    }
    long now = clockMs.getAsLong();
    if (gate == null) {
      gate = new RateGate(endpoint.name(), endpoint.rateLimit(), leaseMs, now);
      gates.put(endpoint.name(), gate);
    } else {
      gate.reconfigure(endpoint.rateLimit(), now);
      if (endpoint.rateLimit() == null && !gate.holdsEvents()) {
        // the limit was removed and nothing waits: the gate is done
        gates.remove(endpoint.name());
        owner.toLane(unit);
        return;
      }
    }
    if (!gate.offer(unit)) {
      // more than the gate holds: back to the outbox at its place, claimed again once the gate is empty
      handBack(gate, unit);
      return;
    }
    open(gate);
  }

  /** Events waiting for a token, over every gate. */
  int waiting() {
    int waiting = 0;
    for (RateGate gate : gates.values()) {
      waiting += gate.waiting();
    }
    return waiting;
  }

  /** How many gates hold events (their triggers are left out of claims). */
  long holding() {
    return gates.values().stream().filter(RateGate::holdsEvents).count();
  }

  /** Adds to {@code names} the triggers whose gates hold events. */
  void addHoldingTriggers(Set<String> names) {
    gates.values().forEach(gate -> {
      if (gate.holdsEvents()) {
        names.add(gate.trigger());
      }
    });
  }

  /**
   * Hands the events waiting in {@code trigger}'s gate back to the outbox at their place (the trigger changed); the
   * gate's bucket stays, so a change does not grant a fresh burst.
   */
  void handBackWaiting(String trigger) {
    RateGate gate = gates.get(trigger);
    if (gate == null || !gate.holdsEvents() || !owner.accepting()) {
      return;
    }
    cancelTimer(gate);
    gate.drain().forEach(waiting -> handBack(gate, waiting));
  }

  /** The rate limiters of the rate-limited triggers seen on this node, by trigger name. */
  List<RateLimitState> states() {
    long now = clockMs.getAsLong();
    List<RateLimitState> states = new ArrayList<>(gates.size());
    gates.values().forEach(gate -> {
      RateLimitState state = gate.state(now);
      if (state != null) {
        states.add(state);
      }
    });
    states.sort(Comparator.comparing(RateLimitState::trigger));
    return states;
  }

  /** Stops every gate's timer and gives every waiting unit to {@code handedBack} (a stop releases them unsent). */
  void drain(Consumer<ClaimedEvent> handedBack) {
    for (RateGate gate : gates.values()) {
      cancelTimer(gate);
      gate.drain().forEach(handedBack);
    }
  }

  /**
   * Hands a gate's unit back to the outbox at its place; the gate refuses events and its trigger stays left out of
   * claims until the hand-back is durable, so a later event of the same key cannot overtake it.
   */
  private void handBack(RateGate gate, ClaimedEvent unit) {
    gate.handingBack();
    owner.release(unit, leasedUntilMs -> {
      if (leasedUntilMs == 0) {
        handedBack(gate);
      } else {
        // the events stay leased until their lease ends: keep their keys' later events unclaimed until then
        vertx.setTimer(Math.max(1, leasedUntilMs - clockMs.getAsLong()), ended -> handedBack(gate));
      }
    });
  }

  private void handedBack(RateGate gate) {
    gate.handedBack();
    if (!gate.holdsEvents() && owner.accepting()) {
      owner.exclusionEnded();
    }
  }

  /** Passes the gate's events that have a token to their lanes, and sets the timer for the next one. */
  private void open(RateGate gate) {
    boolean wasHolding = gate.holdsEvents();
    gate.release(clockMs.getAsLong()).forEach(owner::toLane);
    if (gate.waiting() > 0) {
      if (gate.timerId == -1) {
        long delay = Math.max(1, gate.msUntilNext(clockMs.getAsLong()));
        gate.timerId = vertx.setTimer(delay, fired -> {
          gate.timerId = -1;
          if (owner.accepting()) {
            open(gate);
            owner.pump();
          }
        });
      }
    } else if (wasHolding && !gate.holdsEvents()) {
      // the trigger's events may be claimed again
      owner.exclusionEnded();
    }
  }

  private void cancelTimer(RateGate gate) {
    if (gate.timerId != -1) {
      vertx.cancelTimer(gate.timerId);
      gate.timerId = -1;
    }
  }
}
