package io.tycostream.triggers.delivery;

import io.tycostream.triggers.delivery.EndpointLane.Admission;
import io.tycostream.triggers.delivery.LaneBreaker.Verdict;
import io.tycostream.triggers.metrics.AttemptClass;
import io.tycostream.triggers.metrics.DeliveryMeters;
import io.tycostream.triggers.store.DeliveryAttempt;
import io.tycostream.triggers.store.OutboxOutcome;
import io.tycostream.triggers.store.OutboxOutcome.Kind;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes claimed events to the {@link EndpointLane} of their webhook URL and starts attempts, at most
 * {@code maxInFlight} at once over all lanes (taken round-robin, so a busy lane does not starve the others), each
 * lane within its own limit, breaker and key order. Every event it holds ends in exactly one recorded outcome
 * (through the {@link OutcomeWriter}): an attempt's, an attempt counted without a request because the endpoint's
 * circuit is open (it spends the event's retry budget), a hand-back by a stop, or none when a stop abandons the
 * attempt.
 * <p>
 * A trigger with a {@code rate_limit} passes its events through its rate gate ({@link RateGates}) first: they reach the lane when
 * its token bucket allows, in claim order, and wait without taking a lane slot, so other triggers of the same lane
 * are not held up. For a trigger with {@code ordering: per_key} the store's claim returns only the oldest undelivered
 * event of each key; when such an event is delivered or dead-lettered (durably), the prefetcher is woken so the key's
 * next event is claimed at once.
 * <p>
 * Events of batched triggers go to the {@link BatchFormer} first; a batch then moves through its lane as one unit
 * (one slot, one attempt, one breaker verdict; one token of a rate gate), and its outcome is recorded for each member.
 * <p>
 * It tells the {@link ClaimPrefetcher} how many more events to claim ({@link #claimBudget()}) and which triggers to
 * leave out because their lane is full or their rate gate holds events ({@link #excludedTriggers()}), and calls it
 * back when room frees up, a lane or gate takes events again, or a per-key ordered key is released.
 * <p>
 * Not thread-safe: used on the delivery verticle's event loop only.
 */
final class AttemptScheduler {

  /** Events kept claimed ahead of demand, as a multiple of {@code maxInFlight}. */
  static final int PREFETCH_FACTOR = 2;
  /** Events of batched triggers held at most (gathering, waiting in lanes, in flight): bounds memory. */
  static final int MAX_BATCHED_EVENTS = 50_000;

  private static final Logger LOG = LoggerFactory.getLogger(AttemptScheduler.class);

  private final Vertx vertx;
  private final TriggerEndpointCache endpoints;
  private final EventDelivery delivery;
  private final OutcomeWriter outcomes;
  private final LongSupplier clockMs;
  private final DeliveryOptions options;
  private final int maxInFlight;
  private final Map<String, EndpointLane> lanes = new HashMap<>();
  private final ArrayDeque<EndpointLane> ready = new ArrayDeque<>();
  private final Set<EndpointLane> excludedLanes = new LinkedHashSet<>();
  /** Every event held, by id, with its latest claim (the fence of its outcome). */
  private final Map<String, StoredEvent> held = new HashMap<>();
  /** The rate gates of rate-limited triggers. */
  private final RateGates gates;
  /** The triggers seen with {@code ordering: per_key}. */
  private final Set<String> perKeyTriggers = new HashSet<>();
  private int inFlight;
  /** Held events whose outcome is with the writer: done here, leased until it is durable. */
  private int recording;
  private boolean accepting = true;
  private Runnable roomListener = () -> { };
  private Runnable exclusionListener = () -> { };
  private Runnable keyReleasedListener = () -> { };
  private Promise<Boolean> drained;
  private Runnable idleCheck = () -> { };
  private BatchFormer batches;
  /** Members of the batches held as lane units (waiting or in flight), and how many such batches. */
  private int batchedEvents;
  private int batchUnits;
  private DeliveryMeters meters = DeliveryMeters.unregistered();

  AttemptScheduler(Vertx vertx, TriggerEndpointCache endpoints, EventDelivery delivery, OutcomeWriter outcomes,
                   DeliveryOptions options, LongSupplier clockMs) {
    this.vertx = vertx;
    this.endpoints = endpoints;
    this.delivery = delivery;
    this.outcomes = outcomes;
    this.options = options;
    this.clockMs = clockMs;
    this.maxInFlight = options.getMaxInFlight();
    this.gates = new RateGates(vertx, options.getLease().toMillis(), clockMs, new RateGates.Owner() {
      @Override
      public void toLane(ClaimedEvent unit) {
        AttemptScheduler.this.toLane(unit);
      }

      @Override
      public void release(ClaimedEvent unit, Consumer<Long> written) {
        AttemptScheduler.this.release(unit, written);
      }

      @Override
      public boolean accepting() {
        return accepting;
      }

      @Override
      public void pump() {
        AttemptScheduler.this.pump();
      }

      @Override
      public void exclusionEnded() {
        exclusionListener.run();
      }
    });
  }

  /**
   * @param onRoom      called when held events finish (more may be claimed)
   * @param onExclusion called when a lane stops being left out of claims (its events may be claimed again)
   */
  void listen(Runnable onRoom, Runnable onExclusion) {
    listen(onRoom, onExclusion, onExclusion);
  }

  /**
   * As {@link #listen(Runnable, Runnable)}, and {@code onKeyReleased} is called once the delivery or dead-lettering of
   * a per-key ordered event is durable (the key's next event may be claimed).
   */
  void listen(Runnable onRoom, Runnable onExclusion, Runnable onKeyReleased) {
    this.roomListener = onRoom;
    this.exclusionListener = onExclusion;
    this.keyReleasedListener = onKeyReleased;
  }

  /** Records attempts and their outcomes in {@code deliveryMeters} (without them, nowhere). */
  void measureWith(DeliveryMeters deliveryMeters) {
    this.meters = Objects.requireNonNull(deliveryMeters, "deliveryMeters");
  }

  /** Sends the events of batched triggers through {@code former} (without one, they go one per POST). */
  void batchWith(BatchFormer former) {
    this.batches = former;
    former.listen(this::admitBatch, lost -> lost.forEach(event -> finish(event.eventId())));
  }

  /**
   * How many more events to claim now: about twice {@code maxInFlight} minus the events waiting or in flight. Events
   * waiting in lanes left out of claims do not count (they must not starve the other lanes), nor do events waiting
   * in rate gates (bounded per trigger, and they must not starve other triggers), nor do events whose outcome is
   * being written, up to one outcome batch (the write follows the answers within milliseconds). A batch, or a
   * gathering of a batched trigger's events, counts as one, up to {@link #MAX_BATCHED_EVENTS} such events held.
   */
  int claimBudget() {
    int waitingInExcluded = 0;
    for (EndpointLane lane : excludedLanes) {
      waitingInExcluded += lane.queued();
    }
    waitingInExcluded += gates.waiting();
    int batched = batchedEvents + (batches == null ? 0 : batches.held());
    if (batched >= MAX_BATCHED_EVENTS) {
      return 0;
    }
    int units = batchUnits + (batches == null ? 0 : batches.units());
    int active = held.size() - recording - waitingInExcluded - batched + units;
    int recordingBeyondBatch = Math.max(0, recording - options.getOutcomeBatch());
    return Math.max(0, PREFETCH_FACTOR * maxInFlight - active - recordingBeyondBatch);
  }

  /** The triggers whose lanes are full or whose rate gates hold events: claims leave their events in place. */
  Set<String> excludedTriggers() {
    Set<String> names = new HashSet<>();
    excludedLanes.forEach(lane -> names.addAll(lane.triggers()));
    gates.addHoldingTriggers(names);
    return names;
  }

  /** Events held: waiting in lanes, in flight, or waiting for their outcome to be durable. */
  int held() {
    return held.size();
  }

  int inFlight() {
    return inFlight;
  }

  /**
   * Routes the events of one claim, in their order, once their triggers' endpoints are known, and starts what may
   * start.
   *
   * @return whether a lane filled up (is now left out of claims) on these events
   */
  Future<Boolean> accept(List<StoredEvent> claimed) {
    Map<String, Future<Optional<TriggerEndpoint>>> lookups = new HashMap<>();
    for (StoredEvent event : claimed) {
      lookups.computeIfAbsent(event.triggerName(), endpoints::lookup);
    }
    return Future.join(List.copyOf(lookups.values()))
        .transform(looked -> earlierBatches(claimed, lookups))
        .map(earlier -> {
          int excludedBefore = excludedLanes.size();
          long gatesHoldingBefore = gates.holding();
          for (StoredEvent event : claimed) {
            route(event, lookups.get(event.triggerName()), earlier);
          }
          if (batches != null) {
            batches.formDue();
          }
          pump();
          return excludedLanes.size() > excludedBefore || gates.holding() > gatesHoldingBefore;
        });
  }

  /** The earlier batches of the claimed events of batched triggers; {@code null} when they could not be read. */
  private Future<BatchFormer.EarlierBatches> earlierBatches(List<StoredEvent> claimed,
                                                           Map<String, Future<Optional<TriggerEndpoint>>> lookups) {
    if (batches == null) {
      return Future.succeededFuture(BatchFormer.EarlierBatches.NONE);
    }
    List<StoredEvent> batched = claimed.stream().filter(event -> batched(lookups.get(event.triggerName()))).toList();
    return batches.earlierBatches(batched).otherwise(failure -> {
      // without them a retried batch could leave with other members: its events wait for their lease instead
      LOG.warn("reading the batches of claimed events failed, events retried after their lease [events: {}]: {}",
          batched.size(), failure.toString());
      return null;
    });
  }

  private static boolean batched(Future<Optional<TriggerEndpoint>> lookup) {
    return lookup.succeeded() && lookup.result().isPresent() && lookup.result().get().usable()
        && lookup.result().get().batch() != null;
  }

  private void route(StoredEvent event, Future<Optional<TriggerEndpoint>> lookup,
                     BatchFormer.EarlierBatches earlier) {
    if (held.put(event.eventId(), event) != null) {
      // claimed again while held (its lease ran out): the new claim is the fence of the outcome to come
      return;
    }
    if (!accepting) {
      record(OutboxOutcome.released(event));
    } else if (lookup.failed()) {
      // the event stays leased and is due again when the lease runs out
      LOG.warn("reading the trigger of a claimed event failed, event retried after its lease [trigger: {}, "
          + "event: {}]: {}", event.triggerName(), event.eventId(), lookup.cause().toString());
      finish(event.eventId());
    } else if (lookup.result().isEmpty()) {
      record(delivery.deleted(event));
    } else if (!lookup.result().get().usable()) {
      record(delivery.unusable(event, lookup.result().get()).outcomeFor(event));
    } else if (delivery.isExpired(event, lookup.result().get())) {
      record(delivery.expiredUnsent(event, lookup.result().get()));
    } else if (batches != null && lookup.result().get().batch() != null) {
      if (earlier == null) {
        finish(event.eventId());
      } else {
        batches.offer(ClaimedEvent.of(event, lookup.result().get()), earlier);
      }
    } else {
      admit(ClaimedEvent.of(event, lookup.result().get()));
    }
  }

  /** Sends a routed event through its trigger's rate gate when it has one (or events still wait in one). */
  private void admit(ClaimedEvent claimed) {
    TriggerEndpoint endpoint = claimed.endpoint();
    if (endpoint.orderedPerKey()) {
      perKeyTriggers.add(endpoint.name());
    } else {
      perKeyTriggers.remove(endpoint.name());
    }
    gates.admit(claimed);
  }

  /**
   * Records a unit's events as released (back to the outbox, unsent) and calls {@code written} once all are written:
   * with {@code 0} when all are durable, else the lease end until which they stay claimed.
   */
  private void release(ClaimedEvent unit, Consumer<Long> written) {
    List<StoredEvent> claims = claimsOf(unit);
    int[] unwritten = {claims.size()};
    boolean[] allDurable = {true};
    for (StoredEvent claim : claims) {
      record(OutboxOutcome.released(claim), durable -> {
        allDurable[0] &= durable;
        if (--unwritten[0] == 0) {
          written.accept(allDurable[0] ? 0L : claim.claimedUntilMs());
        }
      });
    }
  }

  /**
   * The current claims of a unit's events (a single event, or every member of a batch); a batch stops counting as
   * held in a lane.
   */
  private List<StoredEvent> claimsOf(ClaimedEvent unit) {
    if (!unit.isBatch()) {
      return List.of(held.getOrDefault(unit.event().eventId(), unit.event()));
    }
    batchedEvents -= unit.batch().size();
    batchUnits--;
    return unit.batch().members().stream().map(member -> held.getOrDefault(member.eventId(), member)).toList();
  }

  private void toLane(ClaimedEvent claimed) {
    TriggerEndpoint endpoint = claimed.endpoint();
    EndpointLane lane = lanes.computeIfAbsent(EndpointLane.laneKey(endpoint.target()), key -> new EndpointLane(
        endpoint.target().endpoint(), options.getMaxInFlightPerEndpoint(),
        new LaneBreaker(options.getBreakerMaxFailures(), options.getBreakerResetTimeout().toMillis())));
    if (lane.admit(claimed, clockMs.getAsLong()) == Admission.BLOCKED) {
      block(lane, claimed);
      return;
    }
    schedule(lane);
    if (lane.isExcluded()) {
      excludedLanes.add(lane);
    }
  }

  /**
   * Records a due event (or each member of a due batch) of an open circuit as a failed attempt without a request (see
   * EventDelivery#blocked).
   */
  private void block(EndpointLane lane, ClaimedEvent unit) {
    StoredEvent claim = held.getOrDefault(unit.event().eventId(), unit.event());
    AttemptReport report = delivery.blocked(claim, lane.endpoint(), unit.endpoint().retry());
    meters.attempt(unit.event().triggerName(), AttemptClass.CIRCUIT_OPEN, 0);
    recordEach(unit, report::outcomeFor);
  }

  /** A batch whose membership is durable: one unit of its lane from now on. */
  private void admitBatch(ClaimedEvent batch) {
    for (StoredEvent member : batch.batch().members()) {
      // the batch's lease end is the fence of every member's outcome
      held.put(member.eventId(), member);
    }
    batchedEvents += batch.batch().size();
    batchUnits++;
    if (!accepting) {
      recordEach(batch, OutboxOutcome::released);
      return;
    }
    admit(batch);
    pump();
  }

  /**
   * Records one outcome per event of the unit (a single event, or every member of a batch), each for the member's
   * current claim; a batch stops counting as held in a lane.
   */
  private void recordEach(ClaimedEvent unit, Function<StoredEvent, OutboxOutcome> outcome) {
    claimsOf(unit).forEach(claim -> record(outcome.apply(claim)));
  }

  /** The breakers of the lanes held now (lanes idle and healthy are dropped), by endpoint. */
  List<BreakerState> breakerStates() {
    long now = clockMs.getAsLong();
    List<BreakerState> states = new ArrayList<>(lanes.size());
    lanes.values().forEach(lane -> states.add(lane.state(now)));
    states.sort(Comparator.comparing(BreakerState::endpoint));
    return states;
  }

  private void schedule(EndpointLane lane) {
    if (!lane.scheduled) {
      lane.scheduled = true;
      ready.addLast(lane);
    }
  }

  /** Starts attempts while slots are free, taking ready lanes in turn. */
  private void pump() {
    long now = clockMs.getAsLong();
    while (accepting && inFlight < maxInFlight && !ready.isEmpty()) {
      EndpointLane lane = ready.pollFirst();
      ClaimedEvent next = lane.next(now);
      if (next == null) {
        lane.scheduled = false;
        continue;
      }
      ready.addLast(lane);
      start(lane, next);
    }
  }

  private void start(EndpointLane lane, ClaimedEvent claimed) {
    endExclusionIfDrained(lane);
    inFlight++;
    long startedNanos = System.nanoTime();
    delivery.attempt(claimed).onComplete(done -> {
      measure(claimed, done.result(), System.nanoTime() - startedNanos);
      finished(lane, claimed, done.result());
    });
  }

  private void measure(ClaimedEvent claimed, AttemptReport report, long nanos) {
    if (report.isAbandoned()) {
      return;
    }
    DeliveryAttempt attempt = report.attempt();
    AttemptClass outcome;
    if (report.delivered()) {
      outcome = AttemptClass.STATUS_2XX;
    } else if (attempt.httpStatus() != null) {
      outcome = AttemptClass.ofStatus(attempt.httpStatus());
    } else {
      // a neutral verdict without a status: nothing was sent (refused address, https required, unusable trigger)
      outcome = AttemptClass.ofFailure(attempt.error(), report.verdict() != Verdict.NEUTRAL);
    }
    meters.attempt(claimed.event().triggerName(), outcome, nanos);
  }

  private void finished(EndpointLane lane, ClaimedEvent claimed, AttemptReport report) {
    inFlight--;
    List<ClaimedEvent> blocked = lane.finished(claimed, report.verdict(), clockMs.getAsLong());
    if (report.isAbandoned()) {
      abandon(claimed);
    } else {
      recordEach(claimed, report::outcomeFor);
    }
    blocked.forEach(waiting -> block(lane, waiting));
    endExclusionIfDrained(lane);
    if (lane.isIdle()) {
      lanes.remove(EndpointLane.laneKey(claimed.endpoint().target()), lane);
    } else {
      schedule(lane);
    }
    pump();
    idleCheck.run();
  }

  private void endExclusionIfDrained(EndpointLane lane) {
    if (!lane.isExcluded() && excludedLanes.remove(lane)) {
      exclusionListener.run();
    }
  }

  private void record(OutboxOutcome outcome) {
    record(outcome, durable -> { });
  }

  /**
   * Records an outcome; {@code onWritten} gets whether it is durable once the write ended (if not, the event is
   * claimed again once its lease ends).
   */
  private void record(OutboxOutcome outcome, Consumer<Boolean> onWritten) {
    recording++;
    roomListener.run();
    StoredEvent event = held.get(outcome.eventId());
    boolean releasesKey = (outcome.kind() == Kind.DELIVERED || outcome.kind() == Kind.DEAD) && event != null
        && perKeyTriggers.contains(event.triggerName());
    String trigger = event == null ? null : event.triggerName();
    outcomes.record(outcome).onComplete(durable -> {
      recording--;
      if (durable.succeeded() && trigger != null) {
        countEnded(trigger, outcome.kind());
      }
      finish(outcome.eventId());
      onWritten.accept(durable.succeeded());
      if (releasesKey && durable.succeeded()) {
        keyReleasedListener.run();
      }
    });
  }

  private void countEnded(String trigger, Kind kind) {
    if (kind == Kind.DELIVERED) {
      meters.trigger(trigger).delivered();
    } else if (kind == Kind.DEAD) {
      meters.trigger(trigger).deadLettered();
    }
  }

  private void abandon(ClaimedEvent unit) {
    if (!unit.isBatch()) {
      finish(unit.event().eventId());
      return;
    }
    batchedEvents -= unit.batch().size();
    batchUnits--;
    unit.batch().members().forEach(member -> finish(member.eventId()));
  }

  private void finish(String eventId) {
    held.remove(eventId);
    roomListener.run();
  }

  /**
   * Forgets a trigger's lane membership (its URL may have changed) and hands the events waiting in its rate gate back
   * to the outbox at their place, unsent and uncounted: they are claimed again under the trigger as now stored (its
   * new limit, URL or ordering), or not at all if it was disabled or deleted. The gate's bucket stays, so a change
   * does not grant a fresh burst.
   */
  void forgetTrigger(String name) {
    lanes.values().forEach(lane -> lane.triggers().remove(name));
    gates.handBackWaiting(name);
  }

  /** The rate limiters of the rate-limited triggers seen on this node, by trigger name. */
  List<RateLimitState> rateLimitStates() {
    return gates.states();
  }

  /**
   * Stops starting attempts, hands every waiting event back unsent (at its place in the order), and waits up to
   * {@code drainMs} for the attempts in flight and for {@code claimInProgress} to end.
   *
   * @return {@code true} once nothing is in flight, {@code false} if the time ran out first
   */
  Future<Boolean> stop(long drainMs, BooleanSupplier claimInProgress) {
    if (drained != null) {
      return drained.future();
    }
    accepting = false;
    drained = Promise.promise();
    for (EndpointLane lane : lanes.values()) {
      lane.drain().forEach(waiting -> recordEach(waiting, OutboxOutcome::released));
    }
    if (batches != null) {
      batches.stop().forEach(gathering -> recordEach(gathering, OutboxOutcome::released));
    }
    gates.drain(waiting -> recordEach(waiting, OutboxOutcome::released));
    long timer = vertx.setTimer(Math.max(1, drainMs), fired -> drained.tryComplete(false));
    idleCheck = () -> {
      if (inFlight == 0 && !claimInProgress.getAsBoolean() && drained.tryComplete(true)) {
        vertx.cancelTimer(timer);
      }
    };
    idleCheck.run();
    return drained.future();
  }

  /** Called when a claim ends, so a stop waiting for it can complete. */
  void claimEnded() {
    idleCheck.run();
  }
}
