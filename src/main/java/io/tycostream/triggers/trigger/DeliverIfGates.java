package io.tycostream.triggers.trigger;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.bus.LocalCodec;
import io.tycostream.triggers.definition.DeliverIf;
import io.tycostream.triggers.source.SourceSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The {@code deliver_if} gates of one evaluator (#11 item 9): for each other source its triggers name, the latest
 * committed rows of the keys they name ({@link OtherSourceRows}), fed by that source's
 * {@link BusAddresses#committedChanges local commit announcements} and started from a fresh snapshot of it.
 * <p>
 * Which state decides: the other source's latest state this evaluator has seen committed when the event's commit is
 * evaluated. The two sources' frontiers move independently (separate SUBSCRIBEs, separate commits), so there is no
 * common frontier at which both are known; an event is decided against the other source as committed "now".
 * <p>
 * Before a gated event is decided, {@link #ready} waits until the other source's rows are known: after a start, or
 * when a trigger names a new key, the commit in progress waits for a fresh snapshot of that source (retried every
 * {@link #SNAPSHOT_RETRY} while its reader is not ready); the source keeps its place meanwhile and nothing is decided
 * against an unknown state. The other source must run on this node (its reader answers snapshot requests locally).
 * <p>
 * Confined to the evaluator's context.
 */
final class DeliverIfGates {

  /** Pause before asking again for a snapshot the other source could not give. */
  static final Duration SNAPSHOT_RETRY = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(DeliverIfGates.class);

  private final Vertx vertx;
  private final String source;
  private final BiFunction<String, Duration, Future<SourceSnapshot>> snapshots;
  private final Map<String, OtherSourceRows> views = new HashMap<>();
  private final Map<String, Future<Void>> fetching = new HashMap<>();
  private final List<MessageConsumer<CommittedChanges>> consumers = new ArrayList<>();
  private boolean stopped;

  /**
   * @param source    the evaluator's own source (for logs)
   * @param snapshots asks another source's reader for its newest snapshot (source, timeout)
   */
  DeliverIfGates(Vertx vertx, String source, BiFunction<String, Duration, Future<SourceSnapshot>> snapshots) {
    this.vertx = vertx;
    this.source = source;
    this.snapshots = snapshots;
  }

  /**
   * Whether the current row of {@code gate.key()} in {@code gate.source()} satisfies {@code gate.where()}; a
   * {@code where} that no longer fits that source's schema does not (logged).
   */
  boolean holds(DeliverIf gate) {
    OtherSourceRows view = views.get(gate.source());
    try {
      return view != null && view.holds(gate);
    } catch (RuntimeException e) {
      // the other source's schema changed under a where checked at creation: hold back rather than fail the commit
      LOG.warn("deliver_if does not fit the other source's schema, its events are suppressed [source: {}, other "
          + "source: {}, cause: {}]", source, gate.source(), e.getMessage());
      return false;
    }
  }

  /**
   * Completes once the rows every {@code deliver_if} of {@code triggers} names are known (at once when they are).
   * Fails only when the evaluator stops.
   */
  Future<Void> ready(Collection<ActiveTrigger> triggers) {
    Map<String, Set<String>> keysBySource = new HashMap<>();
    for (ActiveTrigger trigger : triggers) {
      DeliverIf gate = trigger.definition().deliverIf();
      if (gate != null) {
        keysBySource.computeIfAbsent(gate.source(), s -> new HashSet<>()).add(CanonicalKey.json(gate.key()));
      }
    }
    List<Future<Void>> waits = new ArrayList<>();
    keysBySource.forEach((other, keys) -> waits.add(known(other, keys)));
    return waits.isEmpty() ? Future.succeededFuture() : Future.all(waits).mapEmpty();
  }

  /** The triggers among {@code evaluations} with a {@code deliver_if} and events to decide. */
  static List<ActiveTrigger> withEvents(Map<ActiveTrigger, BatchEvaluation> evaluations) {
    List<ActiveTrigger> gated = new ArrayList<>();
    evaluations.forEach((trigger, evaluation) -> {
      if (trigger.definition().deliverIf() != null && !evaluation.events().isEmpty()) {
        gated.add(trigger);
      }
    });
    return gated;
  }

  /** Stops listening; waits in progress fail. */
  Future<Void> stop() {
    stopped = true;
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  private Future<Void> known(String other, Set<String> keys) {
    OtherSourceRows view = views.get(other);
    if (view != null && view.knows(keys)) {
      return Future.succeededFuture();
    }
    Future<Void> inFlight = fetching.get(other);
    if (inFlight != null) {
      // the fetch in flight may not cover these keys: look again once it is done
      return inFlight.transform(done -> known(other, keys));
    }
    Future<Void> listening = view != null ? Future.succeededFuture() : listen(other);
    Future<Void> fetched = listening.compose(v -> fetch(other, keys));
    fetching.put(other, fetched);
    return fetched.onComplete(done -> fetching.remove(other));
  }

  /** Registers for the other source's commits before the first snapshot, so no commit falls between the two. */
  private Future<Void> listen(String other) {
    LocalCodec.registerOnce(vertx.eventBus(), CommittedChanges.class);
    OtherSourceRows view = new OtherSourceRows();
    views.put(other, view);
    MessageConsumer<CommittedChanges> consumer = vertx.eventBus()
        .localConsumer(BusAddresses.committedChanges(other), message -> view.committed(message.body()));
    consumers.add(consumer);
    return consumer.completion();
  }

  private Future<Void> fetch(String other, Set<String> keys) {
    OtherSourceRows view = views.get(other);
    view.expect(keys);
    Promise<Void> done = Promise.promise();
    attempt(other, view, done, 1);
    return done.future();
  }

  private void attempt(String other, OtherSourceRows view, Promise<Void> done, int attempt) {
    if (stopped) {
      view.snapshotFailed();
      done.tryFail("the evaluator of source '" + source + "' stopped");
      return;
    }
    snapshots.apply(other, BusAddresses.SOURCE_SNAPSHOT_TIMEOUT).onComplete(result -> {
      if (result.succeeded()) {
        view.snapshot(result.result());
        LOG.info("deliver_if state read [source: {}, other source: {}, frontier: {}]", source, other,
            result.result().frontier());
        done.tryComplete();
      } else {
        if (attempt == 1 || attempt % 30 == 0) {
          LOG.warn("deliver_if waits for the state of another source; gated events wait [source: {}, other source: "
              + "{}, attempt: {}, cause: {}]", source, other, attempt, result.cause().getMessage());
        }
        vertx.setTimer(SNAPSHOT_RETRY.toMillis(), id -> attempt(other, view, done, attempt + 1));
      }
    });
  }
}
