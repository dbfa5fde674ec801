package io.tycostream.triggers.trigger;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ResumePosition;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * PLACEHOLDER consumer of every source's batches, so the pipeline runs end to end before the evaluator exists.
 * <p>
 * It evaluates nothing and stores nothing: it keeps the last frontier of each source IN MEMORY only, acknowledges
 * every batch, answers resume-position requests with {@code ResumePosition.after(lastFrontier)} (or a snapshot
 * before the first batch, and always after a restart), and logs a per-source summary every
 * {@link #SUMMARY_INTERVAL}. Durability (the checkpoint written atomically with the evaluation) and condition
 * evaluation arrive in the next issue (#3), which replaces this class's internals.
 * <p>
 * All state is confined to this verticle's event loop.
 */
public final class TriggerVerticle extends VerticleBase {

  /** How often the per-source summary line is logged. */
  public static final Duration SUMMARY_INTERVAL = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(TriggerVerticle.class);

  private final List<String> sources;
  private final Map<String, SourceProgress> progress = new LinkedHashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private long summaryTimer = -1;

  public TriggerVerticle(List<String> sources) {
    this.sources = List.copyOf(Objects.requireNonNull(sources, "sources"));
  }

  @Override
  public Future<?> start() {
    List<Future<Void>> registrations = new ArrayList<>();
    for (String source : sources) {
      SourceProgress state = new SourceProgress();
      progress.put(source, state);
      MessageConsumer<ChangeBatch> batches = vertx.eventBus().consumer(BusAddresses.batches(source),
          message -> onBatch(source, state, message));
      MessageConsumer<Object> resume = vertx.eventBus().consumer(BusAddresses.resumePosition(source),
          message -> message.reply(state.resumePosition()));
      consumers.add(batches);
      consumers.add(resume);
      registrations.add(batches.completion());
      registrations.add(resume.completion());
    }
    summaryTimer = vertx.setPeriodic(SUMMARY_INTERVAL.toMillis(), id -> logSummary());
    return Future.all(registrations);
  }

  @Override
  public Future<?> stop() {
    if (summaryTimer >= 0) {
      vertx.cancelTimer(summaryTimer);
    }
    logSummary();
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  private void onBatch(String source, SourceProgress state, Message<ChangeBatch> message) {
    ChangeBatch batch = message.body();
    if (!batch.snapshot() && state.lastFrontier != null && batch.frontier().compareTo(state.lastFrontier) <= 0) {
      // a re-sent batch already taken (its reply was lost): acknowledging again keeps the hand-off idempotent
      LOG.debug("batch already taken [source: {}, frontier: {}]", source, batch.frontier());
      message.reply(null);
      return;
    }
    state.batches++;
    state.changes += batch.changes().size();
    state.lastFrontier = batch.frontier();
    LOG.debug("batch taken [source: {}, frontier: {}, changes: {}, snapshot: {}]", source, batch.frontier(),
        batch.changes().size(), batch.snapshot());
    message.reply(null);
  }

  private void logSummary() {
    progress.forEach((source, state) -> LOG.info("source summary [source: {}, batches: {}, changes: {}, frontier: {}]",
        source, state.batches, state.changes, state.lastFrontier));
  }

  /** What the placeholder remembers of one source, in memory only. */
  private static final class SourceProgress {
    private long batches;
    private long changes;
    private BigInteger lastFrontier;

    ResumePosition resumePosition() {
      return lastFrontier == null ? ResumePosition.snapshot() : ResumePosition.after(lastFrontier);
    }
  }
}
