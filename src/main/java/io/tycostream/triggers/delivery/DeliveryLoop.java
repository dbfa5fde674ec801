package io.tycostream.triggers.delivery;

import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps up to {@code maxInFlight} deliveries going: claims due events from the outbox whenever slots are free and
 * something may be due, and hands each to {@link EventDelivery}.
 * <p>
 * It looks at the outbox when {@linkplain #wake() woken} (a commit wrote events), when a delivery finishes while a
 * backlog remains, and otherwise on a timer set to the store's next due time, never further than the poll interval
 * away. A lost wake-up therefore delays delivery by at most one poll interval; nothing is ever held only in memory.
 * <p>
 * {@link #stop(Duration)} drains: no new claims, and the deliveries in flight get a bounded time to finish and record
 * their outcomes. Events a claim in progress brings back after the stop are handed back to the outbox unsent.
 * <p>
 * Not thread-safe: every method runs on the delivery verticle's event loop.
 */
public final class DeliveryLoop {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryLoop.class);
  /** Floor of the timer, so a due time in the past cannot spin the loop. */
  private static final long MIN_TIMER_MS = 5;

  private final Vertx vertx;
  private final Store store;
  private final EventDelivery delivery;
  private final LongSupplier clockMs;
  private final int maxInFlight;
  private final int claimBatch;
  private final long leaseMs;
  private final long pollIntervalMs;

  private boolean running;
  private boolean claiming;
  private boolean lookAgain;
  private boolean backlog;
  private int inFlight;
  private long timerId = -1;
  private Promise<Boolean> drained;
  private long drainTimerId = -1;

  public DeliveryLoop(Vertx vertx, Store store, EventDelivery delivery, DeliveryOptions options,
                      LongSupplier clockMs) {
    this.vertx = vertx;
    this.store = store;
    this.delivery = delivery;
    this.clockMs = clockMs;
    this.maxInFlight = options.getMaxInFlight();
    this.claimBatch = options.getClaimBatch();
    this.leaseMs = options.getLease().toMillis();
    this.pollIntervalMs = options.getPollInterval().toMillis();
  }

  public void start() {
    running = true;
    pump();
  }

  /** Something may be due now: look at once (or right after the claim in progress). */
  public void wake() {
    pump();
  }

  /**
   * Stops claiming and waking, then waits up to {@code drainTime} for the claim and the deliveries in flight.
   *
   * @return {@code true} once nothing is in flight any more, {@code false} if {@code drainTime} ran out first (what
   *     is still in flight is then the caller's to abandon)
   */
  public Future<Boolean> stop(Duration drainTime) {
    running = false;
    cancelTimer();
    if (drained == null) {
      drained = Promise.promise();
      drainTimerId = vertx.setTimer(Math.max(1, drainTime.toMillis()), fired -> {
        drainTimerId = -1;
        drained.tryComplete(false);
      });
      completeDrainIfIdle();
    }
    return drained.future();
  }

  /** Deliveries started and not yet recorded, and claimed events being handed back after a stop. */
  public int inFlight() {
    return inFlight;
  }

  private void pump() {
    if (!running) {
      return;
    }
    if (claiming) {
      lookAgain = true;
      return;
    }
    int free = maxInFlight - inFlight;
    if (free <= 0) {
      // a finishing delivery looks again
      backlog = true;
      return;
    }
    claiming = true;
    lookAgain = false;
    cancelTimer();
    int limit = Math.min(claimBatch, free);
    store.claimDue(clockMs.getAsLong(), limit, leaseMs).onComplete(claimed -> {
      claiming = false;
      if (!running) {
        if (claimed.succeeded()) {
          claimed.result().forEach(this::handBack);
        }
        completeDrainIfIdle();
        return;
      }
      if (claimed.failed()) {
        LOG.warn("claiming due events failed, retrying in {} ms: {}", pollIntervalMs, claimed.cause().toString());
        setTimer(pollIntervalMs);
        return;
      }
      List<StoredEvent> events = claimed.result();
      events.forEach(this::start);
      backlog = events.size() == limit;
      if (backlog || lookAgain) {
        pump();
      } else {
        scheduleNextLook();
      }
    });
  }

  private void start(StoredEvent event) {
    inFlight++;
    delivery.deliver(event).onComplete(done -> {
      inFlight--;
      if (backlog) {
        pump();
      }
      completeDrainIfIdle();
    });
  }

  /** Ends the lease of an event claimed after the stop, so it is due at once after a restart, not after its lease. */
  private void handBack(StoredEvent event) {
    inFlight++;
    store.postpone(event.eventId(), clockMs.getAsLong()).onComplete(done -> {
      inFlight--;
      if (done.failed()) {
        // the lease runs out instead, as after a crash
        LOG.debug("claimed event not handed back at stop [trigger: {}, event: {}, cause: {}]", event.triggerName(),
          event.eventId(), done.cause().toString());
      }
      completeDrainIfIdle();
    });
  }

  private void completeDrainIfIdle() {
    if (drained != null && inFlight == 0 && !claiming) {
      if (drainTimerId != -1) {
        vertx.cancelTimer(drainTimerId);
        drainTimerId = -1;
      }
      drained.tryComplete(true);
    }
  }

  private void scheduleNextLook() {
    if (!running) {
      return;
    }
    store.nextDueAt().onComplete(due -> {
      if (!running || claiming) {
        return;
      }
      long delay = pollIntervalMs;
      if (due.failed()) {
        LOG.warn("reading the next due time failed, looking again in {} ms: {}", delay, due.cause().toString());
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
      pump();
    });
  }

  private void cancelTimer() {
    if (timerId != -1) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
