package io.tycostream.triggers.delivery;

import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.Vertx;
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

  /** Stops claiming and cancels the timer; deliveries in flight finish or are abandoned by their owner. */
  public void stop() {
    running = false;
    cancelTimer();
  }

  public boolean isRunning() {
    return running;
  }

  /** Deliveries started and not yet recorded. */
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
        // stopped meanwhile: whatever was claimed stays leased and becomes due again, as after a crash
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
    });
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
