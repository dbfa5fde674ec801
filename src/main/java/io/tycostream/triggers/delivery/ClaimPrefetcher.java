package io.tycostream.triggers.delivery;

import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due events ahead of demand, so the HTTP client never waits on the store: whenever the
 * {@link AttemptScheduler} has room for at least a quarter of what it keeps claimed (about twice {@code maxInFlight})
 * and something may be due, it leases a batch for this incarnation (the {@code claimer}) and hands it over, one claim
 * at a time, in commit order, leaving out the triggers of full lanes.
 * <p>
 * Something may be due when it is {@linkplain #wake() woken} (a commit wrote events), when the last claim came back
 * full, when a lane stops being left out, and otherwise on a timer set to the store's next due time, never further
 * than the poll interval away. A lost wake-up therefore delays delivery by at most one poll interval; nothing is ever
 * held only in memory.
 * <p>
 * Not thread-safe: every method runs on the delivery verticle's event loop.
 */
final class ClaimPrefetcher {

  private static final Logger LOG = LoggerFactory.getLogger(ClaimPrefetcher.class);
  /** Floor of the timer, so a due time in the past cannot spin the loop. */
  private static final long MIN_TIMER_MS = 5;

  private final Vertx vertx;
  private final Store store;
  private final AttemptScheduler scheduler;
  private final String claimer;
  private final LongSupplier clockMs;
  private final int claimBatch;
  private final int minClaim;
  private final long leaseMs;
  private final long pollIntervalMs;

  private boolean running;
  private boolean claiming;
  private boolean mayBeDue;
  private long timerId = -1;
  private boolean failing;
  private boolean lastClaimFull;
  private Promise<Void> stopped;

  ClaimPrefetcher(Vertx vertx, Store store, AttemptScheduler scheduler, String claimer, DeliveryOptions options,
                  LongSupplier clockMs) {
    this.vertx = vertx;
    this.store = store;
    this.scheduler = scheduler;
    this.claimer = claimer;
    this.clockMs = clockMs;
    this.claimBatch = options.getClaimBatch();
    this.minClaim = Math.max(1, Math.min(claimBatch, AttemptScheduler.PREFETCH_FACTOR * options.getMaxInFlight() / 4));
    this.leaseMs = options.getLease().toMillis();
    this.pollIntervalMs = options.getPollInterval().toMillis();
  }

  void start() {
    running = true;
    mayBeDue = true;
    look();
  }

  /** Something may be due now (a commit wrote events): claim at once, or right after the claim in progress. */
  void wake() {
    mayBeDue = true;
    look();
  }

  /** The scheduler has more room: claim if something may be due. */
  void roomFreed() {
    if (mayBeDue) {
      look();
    }
  }

  /** A lane is no longer left out: its events may be due. */
  void exclusionEnded() {
    wake();
  }

  /** Whether the last claim took as many events as it asked for: more may be due. */
  boolean lastClaimFull() {
    return lastClaimFull;
  }

  /** Whether a claim is being made or handed over. */
  boolean claiming() {
    return claiming;
  }

  /** Stops claiming; completes once the claim in progress, if any, has been handed over. */
  Future<Void> stop() {
    running = false;
    cancelTimer();
    if (stopped == null) {
      stopped = Promise.promise();
      if (!claiming) {
        stopped.complete();
      }
    }
    return stopped.future();
  }

  private void look() {
    if (!running || claiming || (failing && timerId != -1)) {
      // a claim in progress looks again when it ends (mayBeDue stays set); after a failure the retry timer does
      return;
    }
    int room = Math.min(claimBatch, scheduler.claimBudget());
    if (room < minClaim && !(room > 0 && scheduler.held() == 0)) {
      // enough is claimed ahead; a finishing event calls roomFreed
      return;
    }
    claiming = true;
    mayBeDue = false;
    cancelTimer();
    Set<String> excluded = scheduler.excludedTriggers();
    store.claimDue(claimer, clockMs.getAsLong(), room, leaseMs, excluded)
        .compose(events -> handOver(events, room), this::claimFailed)
        .onComplete(done -> {
          claiming = false;
          scheduler.claimEnded();
          if (!running) {
            if (stopped != null) {
              stopped.tryComplete();
            }
          } else if (mayBeDue) {
            look();
          } else if (!failing) {
            scheduleNextLook(excluded);
          }
        });
  }

  private Future<Void> handOver(List<StoredEvent> events, int limit) {
    if (failing) {
      failing = false;
      LOG.info("claiming due events works again");
    }
    lastClaimFull = events.size() == limit;
    return scheduler.accept(events).map(filledALane -> {
      // a full claim says more is due, unless it filled a lane: those events wait where they are until the lane
      // takes events again (it wakes this), and claiming now would only walk past them
      if (events.size() == limit && !filledALane) {
        mayBeDue = true;
      }
      return null;
    });
  }

  private Future<Void> claimFailed(Throwable failure) {
    if (!failing) {
      failing = true;
      LOG.warn("claiming due events failed, retrying every {} ms: {}", pollIntervalMs, failure.toString());
    }
    setTimer(pollIntervalMs);
    return Future.succeededFuture();
  }

  private void scheduleNextLook(Set<String> excluded) {
    long now = clockMs.getAsLong();
    store.nextDueAt(now, excluded).onComplete(due -> {
      if (!running || claiming || mayBeDue) {
        return;
      }
      long delay = pollIntervalMs;
      if (due.failed()) {
        LOG.debug("reading the next due time failed, looking again in {} ms: {}", delay, due.cause().toString());
      } else {
        Optional<Long> at = due.result();
        if (at.isPresent()) {
          delay = Math.min(pollIntervalMs, Math.max(MIN_TIMER_MS, at.get() - clockMs.getAsLong()));
        }
      }
      setTimer(delay);
    });
  }

  private void setTimer(long delayMs) {
    if (!running) {
      return;
    }
    cancelTimer();
    timerId = vertx.setTimer(delayMs, fired -> {
      timerId = -1;
      mayBeDue = true;
      look();
    });
  }

  private void cancelTimer() {
    if (timerId != -1) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
