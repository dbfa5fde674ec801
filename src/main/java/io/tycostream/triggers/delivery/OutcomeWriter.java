package io.tycostream.triggers.delivery;

import io.tycostream.triggers.bus.BusAddresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.tycostream.triggers.store.OutboxOutcome;
import io.tycostream.triggers.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records outcomes of claimed events in batches: one {@link Store#recordOutcomes} transaction for all the outcomes
 * of {@code flushInterval}, or of {@code maxBatch} outcomes, whichever comes first; one transaction at a time, so
 * outcomes that arrive while one is written go into the next (group commit).
 * <p>
 * Delivery semantics: the future of {@link #record} completes once its outcome is durable. Until then the event stays
 * leased, so it cannot be claimed again before its outcome is on disk, and a crash in between only re-sends it. A
 * batch the store refuses is retried with back-off (logged once per failing streak); outcomes still not written after
 * {@code giveUpAfterMs} fail their futures and their events are re-sent once their lease ends or after a restart,
 * never lost.
 * <p>
 * Not thread-safe: used on the delivery verticle's event loop only.
 */
final class OutcomeWriter {

  private static final Logger LOG = LoggerFactory.getLogger(OutcomeWriter.class);
  private static final long FIRST_RETRY_MS = 50;
  private static final long MAX_RETRY_MS = 2_000;

  private final Vertx vertx;
  private final Store store;
  private final long flushIntervalMs;
  private final int maxBatch;
  private final long giveUpAfterMs;
  private final LongSupplier clockMs;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private boolean writing;
  private long timerId = -1;
  private int failedFlushes;
  private boolean closing;
  private Promise<Void> closed;

  private record Pending(OutboxOutcome outcome, Promise<Void> durable, long sinceMs) {
  }

  OutcomeWriter(Vertx vertx, Store store, long flushIntervalMs, int maxBatch, long giveUpAfterMs,
                LongSupplier clockMs) {
    this.vertx = vertx;
    this.store = store;
    this.flushIntervalMs = flushIntervalMs;
    this.maxBatch = maxBatch;
    this.giveUpAfterMs = giveUpAfterMs;
    this.clockMs = clockMs;
  }

  /** Queues an outcome; the future completes once it is durable (fails if it could not be written). */
  Future<Void> record(OutboxOutcome outcome) {
    if (closing) {
      return Future.failedFuture(new IllegalStateException("outcome writer closed"));
    }
    Promise<Void> durable = Promise.promise();
    pending.addLast(new Pending(outcome, durable, clockMs.getAsLong()));
    if (pending.size() >= maxBatch) {
      flush();
    } else if (timerId == -1 && !writing) {
      schedule(flushIntervalMs);
    }
    return durable.future();
  }

  /** Outcomes waiting to be written, including the batch being written. */
  int pending() {
    return pending.size();
  }

  /** Writes what is pending, then refuses new outcomes; completes once nothing is pending any more. */
  Future<Void> close() {
    if (closed == null) {
      closing = true;
      closed = Promise.promise();
      flush();
      completeCloseIfDone();
    }
    return closed.future();
  }

  private void schedule(long delayMs) {
    cancelTimer();
    timerId = vertx.setTimer(Math.max(1, delayMs), fired -> {
      timerId = -1;
      flush();
    });
  }

  private void flush() {
    if (writing || pending.isEmpty() || (failedFlushes > 0 && timerId != -1 && !closing)) {
      // one transaction at a time; after a failure the retry timer decides
      return;
    }
    cancelTimer();
    writing = true;
    List<Pending> batch = new ArrayList<>(Math.min(maxBatch, pending.size()));
    while (batch.size() < maxBatch && !pending.isEmpty()) {
      batch.add(pending.pollFirst());
    }
    List<OutboxOutcome> outcomes = new ArrayList<>(batch.size());
    batch.forEach(entry -> outcomes.add(entry.outcome()));
    store.recordOutcomes(outcomes).onComplete(written -> {
      writing = false;
      if (written.succeeded()) {
        if (failedFlushes > 0) {
          LOG.info("recording delivery outcomes works again [failed attempts: {}]", failedFlushes);
        }
        failedFlushes = 0;
        batch.forEach(entry -> entry.durable().complete());
        announceDeadLetters(outcomes);
        afterFlush();
      } else {
        retryLater(batch, written.cause());
      }
    });
  }

  /**
   * Tells the alerts (a hint, on this node only) which events were just dead-lettered; they re-read each event, since
   * a fenced outcome may not have applied.
   */
  private void announceDeadLetters(List<OutboxOutcome> written) {
    JsonArray dead = new JsonArray();
    written.stream().filter(outcome -> outcome.kind() == OutboxOutcome.Kind.DEAD)
        .forEach(outcome -> dead.add(outcome.eventId()));
    if (!dead.isEmpty()) {
      vertx.eventBus().publish(BusAddresses.EVENTS_DEAD_LETTERED, new JsonObject().put("event_ids", dead),
          new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true));
    }
  }

  private void afterFlush() {
    if (pending.isEmpty()) {
      completeCloseIfDone();
      return;
    }
    long waited = clockMs.getAsLong() - pending.peekFirst().sinceMs();
    if (closing || pending.size() >= maxBatch || waited >= flushIntervalMs) {
      flush();
    } else {
      schedule(flushIntervalMs - waited);
    }
  }

  private void retryLater(List<Pending> batch, Throwable cause) {
    failedFlushes++;
    if (failedFlushes == 1) {
      LOG.warn("recording delivery outcomes failed, retrying [outcomes: {}, cause: {}]", batch.size(),
          cause.toString());
    }
    long now = clockMs.getAsLong();
    // back at the front, in their order; those waiting too long are given up (their events are sent again)
    for (int i = batch.size() - 1; i >= 0; i--) {
      Pending entry = batch.get(i);
      if (closing || now - entry.sinceMs() >= giveUpAfterMs) {
        entry.durable().fail(cause);
      } else {
        pending.addFirst(entry);
      }
    }
    if (closing) {
      pending.forEach(entry -> entry.durable().fail(cause));
      pending.clear();
      completeCloseIfDone();
      return;
    }
    if (!pending.isEmpty()) {
      schedule(Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(10, failedFlushes - 1)));
    }
  }

  private void completeCloseIfDone() {
    if (closed != null && pending.isEmpty() && !writing) {
      cancelTimer();
      closed.tryComplete();
    }
  }

  private void cancelTimer() {
    if (timerId != -1) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
