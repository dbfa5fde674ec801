package io.tycostream.triggers.delivery;

import io.tycostream.triggers.store.BatchOutbox;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the claimed events of batched triggers into batches ready for their lane: looks up which earlier batch each
 * belongs to ({@link #earlierBatches}), gathers them ({@link BatchCollector}), and, when a batch leaves, records its
 * id on its members in the store <em>before</em> it is handed over ({@link BatchOutbox#assign}), with one new lease end
 * for all of them, so a crash, a retry or a replay finds the same membership and the batch's outcome is fenced by
 * one claim. A batch whose members could not all be recorded (a claim lost meanwhile, the store failing) is not sent:
 * its events are handed back to the caller and come due again when their lease ends.
 * <p>
 * Not thread-safe: used on the delivery verticle's event loop only.
 */
final class BatchFormer {

  private static final Logger LOG = LoggerFactory.getLogger(BatchFormer.class);

  private final Vertx vertx;
  private final BatchOutbox store;
  private final String claimer;
  private final long leaseMs;
  private final LongSupplier clockMs;
  private final BooleanSupplier moreDue;
  private final BatchCollector collector = new BatchCollector();
  private Consumer<ClaimedEvent> formedListener = formed -> { };
  private Consumer<List<StoredEvent>> lostListener = lost -> { };
  /** Members of batches whose membership is being written. */
  private int recording;
  private int recordingBatches;
  private long timerId = -1;
  private boolean stopped;

  /** Which earlier batch each pending event belongs to, and each such batch's pending members. */
  record EarlierBatches(Map<String, String> batchOfEvent, Map<String, Set<String>> pendingMembers) {

    static final EarlierBatches NONE = new EarlierBatches(Map.of(), Map.of());

    static EarlierBatches of(Map<String, String> batchOfEvent) {
      Map<String, Set<String>> members = new HashMap<>();
      batchOfEvent.forEach((event, batch) -> members.computeIfAbsent(batch, ignored -> new HashSet<>()).add(event));
      return new EarlierBatches(batchOfEvent, members);
    }
  }

  /** @param moreDue whether the last claim came back full (more is due than was claimed) */
  BatchFormer(Vertx vertx, BatchOutbox store, String claimer, long leaseMs, LongSupplier clockMs,
              BooleanSupplier moreDue) {
    this.vertx = vertx;
    this.moreDue = moreDue;
    this.store = store;
    this.claimer = claimer;
    this.leaseMs = leaseMs;
    this.clockMs = clockMs;
  }

  /**
   * @param onFormed called with each batch whose membership is durable, as one lane unit
   * @param onLost   called with the members of a batch that is not sent (their leases run out)
   */
  void listen(Consumer<ClaimedEvent> onFormed, Consumer<List<StoredEvent>> onLost) {
    this.formedListener = onFormed;
    this.lostListener = onLost;
  }

  /** Reads the earlier batches of {@code events} (events of batched triggers); fails when the store does. */
  Future<EarlierBatches> earlierBatches(List<StoredEvent> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture(EarlierBatches.NONE);
    }
    return store.pendingBatchMembers(events.stream().map(StoredEvent::eventId).toList()).map(EarlierBatches::of);
  }

  /** Holds a claimed event of a batched trigger until its batch leaves. */
  void offer(ClaimedEvent claimed, EarlierBatches earlier) {
    String batch = earlier.batchOfEvent().get(claimed.event().eventId());
    collector.offer(claimed, claimed.endpoint().batch(), batch,
        batch == null ? Set.of() : earlier.pendingMembers().get(batch), clockMs.getAsLong());
  }

  /** Sends off every batch that is due now, and sets the timer for the next. */
  void formDue() {
    if (stopped) {
      return;
    }
    long now = clockMs.getAsLong();
    for (List<ClaimedEvent> leaving : collector.due(now, moreDue.getAsBoolean())) {
      record(leaving, now);
    }
    scheduleNext();
  }

  private void record(List<ClaimedEvent> leaving, long nowMs) {
    ClaimedEvent newest = leaving.get(leaving.size() - 1);
    EventBatch batch = EventBatch.of(newest.event().triggerName(),
        leaving.stream().map(ClaimedEvent::event).toList());
    long leaseEnd = nowMs + leaseMs;
    recording += batch.size();
    recordingBatches++;
    store.assign(batch.batchId(), batch.eventIds(), claimer, leaseEnd).onComplete(assigned -> {
      recording -= batch.size();
      recordingBatches--;
      if (assigned.succeeded() && assigned.result() == batch.size()) {
        List<StoredEvent> leased = batch.members().stream().map(member -> withLease(member, leaseEnd)).toList();
        formedListener.accept(ClaimedEvent.ofBatch(new EventBatch(batch.batchId(), leased), newest.endpoint()));
        return;
      }
      LOG.warn("batch not sent, its events are due again after their lease [trigger: {}, batch: {}, events: {}, "
          + "recorded: {}]: {}", newest.event().triggerName(), batch.batchId(), batch.size(),
          assigned.succeeded() ? assigned.result() : 0,
          assigned.succeeded() ? "a claim was lost meanwhile" : assigned.cause().toString());
      lostListener.accept(batch.members());
    });
  }

  private static StoredEvent withLease(StoredEvent e, long claimedUntilMs) {
    return new StoredEvent(e.eventId(), e.triggerName(), e.eventType(), e.sourceTimestamp(), e.keyJson(),
        e.dataJson(), e.status(), e.attempts(), e.nextAttemptAtMs(), claimedUntilMs, e.createdAt(), e.deliveredAt(),
        e.lastError(), e.claimedBy(), e.sequence());
  }

  private void scheduleNext() {
    cancelTimer();
    OptionalLong next = collector.nextDueAt(moreDue.getAsBoolean());
    if (next.isPresent()) {
      timerId = vertx.setTimer(Math.max(1, next.getAsLong() - clockMs.getAsLong()), fired -> {
        timerId = -1;
        formDue();
      });
    }
  }

  /** Events held here: gathering, or waiting for their membership to be written. */
  int held() {
    return collector.held() + recording;
  }

  /** Units these events will leave as, at least: gatherings plus batches being written. */
  int units() {
    return collector.groups() + recordingBatches;
  }

  /** Stops forming batches and returns every gathering event (a stop hands them back). */
  List<ClaimedEvent> stop() {
    stopped = true;
    cancelTimer();
    return collector.drain();
  }

  private void cancelTimer() {
    if (timerId != -1) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
