package io.tycostream.triggers.trigger;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The trigger evaluator: takes every source's batches from the event bus, evaluates the source's triggers and commits
 * events, matched-key state and the source checkpoint in one store transaction per group of batches (design.md §3).
 * A batch's request is answered only after its commit, and each source resumes from the checkpoint this verticle
 * reads from the store, so nothing is lost or repeated across crashes.
 * <p>
 * The evaluation logic lives in {@link SourceEvaluator} (one per source, confined to this verticle's context); this
 * class only binds it to the bus, rescans the store for trigger changes ({@code triggers.changed} is best effort),
 * wakes delivery after commits with events, and logs a periodic summary.
 */
public final class TriggerVerticle extends VerticleBase {

  /** How often the store is rescanned for created or deleted triggers, in case a notification was lost. */
  public static final Duration RESCAN_INTERVAL = Duration.ofSeconds(2);
  /** How often the per-source summary line is logged. */
  public static final Duration SUMMARY_INTERVAL = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(TriggerVerticle.class);

  private final List<String> sources;
  private final Store store;
  private final Map<String, SourceEvaluator> evaluators = new LinkedHashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private long rescanTimer = -1;
  private long summaryTimer = -1;

  public TriggerVerticle(List<String> sources, Store store) {
    this.sources = List.copyOf(Objects.requireNonNull(sources, "sources"));
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public Future<?> start() {
    List<Future<Void>> registrations = new ArrayList<>();
    for (String source : sources) {
      SourceEvaluator evaluator = new SourceEvaluator(vertx, source, store, this::wakeDelivery);
      evaluators.put(source, evaluator);
      registrations.add(register(vertx.eventBus().<ChangeBatch>consumer(BusAddresses.batches(source),
          message -> answer(message, evaluator.accept(message.body())))));
      registrations.add(register(vertx.eventBus().consumer(BusAddresses.resumePosition(source),
          message -> answer(message, evaluator.resumePosition()))));
    }
    registrations.add(register(vertx.eventBus().<JsonObject>consumer(BusAddresses.TRIGGERS_CHANGED,
        message -> onTriggersChanged(message.body()))));
    rescanTimer = vertx.setPeriodic(RESCAN_INTERVAL.toMillis(),
        id -> evaluators.values().forEach(SourceEvaluator::triggersChanged));
    summaryTimer = vertx.setPeriodic(SUMMARY_INTERVAL.toMillis(), id -> logSummary());
    return Future.all(registrations);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(rescanTimer);
    vertx.cancelTimer(summaryTimer);
    evaluators.values().forEach(SourceEvaluator::close);
    logSummary();
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  private Future<Void> register(MessageConsumer<?> consumer) {
    consumers.add(consumer);
    return consumer.completion();
  }

  private static void answer(Message<?> message, Future<?> outcome) {
    outcome.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        message.fail(500, String.valueOf(ar.cause().getMessage()));
      }
    });
  }

  private void onTriggersChanged(JsonObject change) {
    String source = change == null ? null : change.getString("source");
    SourceEvaluator evaluator = source == null ? null : evaluators.get(source);
    if (evaluator != null) {
      evaluator.triggersChanged();
    } else {
      evaluators.values().forEach(SourceEvaluator::triggersChanged);
    }
  }

  private void wakeDelivery() {
    vertx.eventBus().publish(BusAddresses.DELIVERY_WAKE, null);
  }

  private void logSummary() {
    evaluators.forEach((source, evaluator) -> {
      SourceEvaluator.EvaluationStats stats = evaluator.stats();
      LOG.info("evaluation summary [source: {}, triggers: {}, batches: {}, changes: {}, commits: {}, events: {}, "
              + "frontier: {}]", source, evaluator.activeTriggers().size(), stats.batches, stats.changes,
          stats.commits, stats.events, stats.frontier);
    });
  }
}
