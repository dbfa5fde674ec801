package io.tycostream.triggers.trigger;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.error.EventBusErrors;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.SnapshotRequests;
import io.tycostream.triggers.source.SourceCodecs;
import io.tycostream.triggers.source.SourceProgress;
import io.tycostream.triggers.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The evaluator half of a source unit: takes its source's batches over LOCAL event-bus requests, evaluates the
 * source's triggers and commits events, matched-key state and the source checkpoint in one store transaction per
 * group of batches (design.md §3). A batch's request is answered only after its commit, and the source resumes from
 * the checkpoint this verticle reads from the store, so nothing is lost or repeated across crashes.
 * <p>
 * A thin shell over three parts with one job each: {@link CommitScheduler} (group commit, one step at a time),
 * {@link TriggerRegistry} (the trigger set, kept in step with the store by {@code triggers.changed} announcements
 * and a slow {@link #SAFETY_POLL_INTERVAL safety poll}) and {@link Baseliner} (the starting state of triggers created
 * while the source streams). Long work runs in {@link Slices}, so one unit never holds its event loop for long.
 */
public final class TriggerVerticle extends VerticleBase {

  /** How often the store is re-read for created or deleted triggers, in case an announcement was lost. */
  public static final Duration SAFETY_POLL_INTERVAL = Duration.ofSeconds(30);
  /** How often the summary line is logged. */
  public static final Duration SUMMARY_INTERVAL = Duration.ofSeconds(30);
  /**
   * How often expired triggers are looked for and audited; evaluation itself stops at the expiry, as each group reads
   * the active triggers.
   */
  static final Duration EXPIRY_CHECK_INTERVAL = Duration.ofMillis(500);
  /** How long a stop waits for the commit in progress. */
  public static final Duration STOP_DRAIN_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(TriggerVerticle.class);

  private final String source;
  private final Store store;
  private final SourceProgress progress;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private TriggerRegistry registry;
  private CommitScheduler scheduler;
  private Baseliner baseliner;
  private DeliverIfGates deliverIf;
  private long pollTimer = -1;
  private long summaryTimer = -1;
  private long expiryTimer = -1;
  private TriggerExpiry expiry;

  public TriggerVerticle(String source, Store store, SourceProgress progress) {
    this.source = Objects.requireNonNull(source, "source");
    this.store = Objects.requireNonNull(store, "store");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  @Override
  public Future<?> start() {
    SourceCodecs.register(vertx.eventBus());
    Slices slices = new Slices(context, Slices.DEFAULT_BUDGET);
    registry = new TriggerRegistry(source, store, slices);
    scheduler = new CommitScheduler(vertx, source, store, registry, slices, progress, this::wakeDelivery);
    baseliner = new Baseliner(vertx, source, store, registry, scheduler, slices,
        notBefore -> SnapshotRequests.request(vertx.eventBus(), source, notBefore,
            BusAddresses.SOURCE_SNAPSHOT_TIMEOUT),
        this::wakeDelivery);
    deliverIf = new DeliverIfGates(vertx, source, (other, timeout) -> SnapshotRequests.request(vertx.eventBus(), other,
        null, timeout));
    registry.deliverIf(deliverIf);
    registry.listener(baseliner);
    expiry = new TriggerExpiry(source, registry, store.expiry(), Clock.systemUTC());
    scheduler.observer(baseliner);
    consumers.add(vertx.eventBus().<ChangeBatch>localConsumer(BusAddresses.batches(source),
        message -> answer(message, scheduler.accept(message.body()))));
    consumers.add(vertx.eventBus().localConsumer(BusAddresses.resumePosition(source),
        message -> answer(message, scheduler.resumePosition())));
    consumers.add(vertx.eventBus().<JsonObject>consumer(BusAddresses.TRIGGERS_CHANGED, this::onTriggersChanged));
    pollTimer = vertx.setPeriodic(SAFETY_POLL_INTERVAL.toMillis(), id -> poll());
    summaryTimer = vertx.setPeriodic(SUMMARY_INTERVAL.toMillis(), id -> logSummary());
    expiryTimer = vertx.setPeriodic(EXPIRY_CHECK_INTERVAL.toMillis(), id -> expiry.check());
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(summaryTimer);
    vertx.cancelTimer(expiryTimer);
    baseliner.stop();
    return scheduler.stop(STOP_DRAIN_TIMEOUT)
        .eventually(() -> deliverIf.stop())
        .eventually(() -> Future.all(consumers.stream().map(MessageConsumer::unregister).toList()))
        .onComplete(stopped -> logSummary());
  }

  private static void answer(Message<?> message, Future<?> outcome) {
    outcome.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        EventBusErrors.fail(message, ar.cause());
      }
    });
  }

  private void onTriggersChanged(Message<JsonObject> message) {
    JsonObject change = message.body();
    String name = change == null ? null : change.getString("name");
    String changedSource = change == null ? null : change.getString("source");
    if (name == null) {
      poll();
    } else if (changedSource == null || changedSource.equals(source)) {
      registry.refresh(name).onFailure(failure -> LOG.warn("trigger change not read, the safety poll will catch "
          + "it [source: {}, trigger: {}, cause: {}]", source, name, failure.getMessage()));
    }
  }

  private void poll() {
    registry.refreshAll().onFailure(failure -> LOG.warn("triggers not read, retrying at the next poll "
        + "[source: {}, cause: {}]", source, failure.getMessage()));
  }

  private void wakeDelivery() {
    vertx.eventBus().publish(BusAddresses.DELIVERY_WAKE, null);
  }

  private void logSummary() {
    CommitScheduler.EvaluationStats stats = scheduler.stats();
    LOG.info("evaluation summary [source: {}, triggers: {}, baselines in progress: {}, batches: {}, changes: {}, "
            + "commits: {}, events: {}, frontier: {}]", source, registry.counts(), baseliner.inProgress(),
        stats.batches, stats.changes, stats.commits, stats.events, stats.frontier);
  }
}
