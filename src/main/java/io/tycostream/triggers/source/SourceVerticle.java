package io.tycostream.triggers.source;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.EventBusErrors;
import io.tycostream.triggers.error.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The reader half of a source unit: runs the {@link ChangeSource} its factory makes (the SUBSCRIBE reader or the
 * load generator) and hands its batches to the unit's evaluator over LOCAL event-bus requests
 * ({@link EventBusBatchConsumer}). It answers:
 * <ul>
 *   <li>{@link BusAddresses#status(String)}: the source's {@link SourceProgress} as JSON ({@link SourceStatusJson}),
 *       for the health check;</li>
 *   <li>{@link BusAddresses#snapshot(String)} (local): a fresh snapshot for a trigger's baseline
 *       ({@link SnapshotRequests});</li>
 *   <li>{@link BusAddresses#sourceSchema(String)}: the schema of the last batch it handed over, so the admin API can
 *       check a new trigger's conditions, or {@link ErrorCode#SOURCE_NOT_READY} before the first.</li>
 * </ul>
 * A thin shell: {@code start()} completes once its consumers are registered and the source runs (it may still be
 * connecting); {@code stop()} stops the source (a waiting read is cancelled), then its consumers and breakers.
 */
public final class SourceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SourceVerticle.class);

  private final String name;
  private final ChangeSourceFactory factory;
  private final SourceProgress progress;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private EventBusBatchConsumer consumer;
  private ChangeSource source;
  /** Volatile because nothing here promises on which thread a source hands over its batches. */
  private volatile SourceSchema lastSchema;

  public SourceVerticle(String name, ChangeSourceFactory factory, SourceProgress progress) {
    this.name = Objects.requireNonNull(name, "name");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  @Override
  public Future<?> start() {
    SourceCodecs.register(vertx.eventBus());
    consumer = new EventBusBatchConsumer(vertx, name);
    source = factory.create(vertx, schemaRecording(consumer), this::onStatus);
    consumers.add(vertx.eventBus().<Void>consumer(BusAddresses.status(name), message -> {
      progress.readerStatus(source.status());
      message.reply(SourceStatusJson.toJson(progress));
    }));
    consumers.add(vertx.eventBus().<Object>localConsumer(BusAddresses.snapshot(name),
        request -> SnapshotRequests.answer(request, this::snapshot)));
    consumers.add(vertx.eventBus().<Void>consumer(BusAddresses.sourceSchema(name), this::answerSchema));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .compose(registered -> source.start())
        .onSuccess(started -> LOG.info("source started [source: {}]", name));
  }

  @Override
  public Future<?> stop() {
    Future<Void> stopped = source == null ? Future.succeededFuture() : source.stop();
    return stopped
        .eventually(() -> Future.all(consumers.stream().map(MessageConsumer::unregister).toList()))
        .onComplete(done -> {
          if (consumer != null) {
            consumer.close();
          }
        });
  }

  private void onStatus(SourceStatus status) {
    progress.readerStatus(status);
    // for the alerts of this node only: the node that runs a source reports its outages
    vertx.eventBus().publish(BusAddresses.SOURCE_STATE_CHANGED, new JsonObject().put("source", status.source())
        .put("state", status.state().name())
        .put("failure", status.lastFailure() == null ? null : status.lastFailure().message())
        .put("failure_kind", status.lastFailure() == null ? null : status.lastFailure().kind().name()),
        new DeliveryOptions().setLocalOnly(true));
    LOG.info("source state [source: {}, state: {}, failure: {}]", status.source(), status.state(),
        status.lastFailure() == null ? "none" : status.lastFailure().message());
  }

  private Future<SourceSnapshot> snapshot(java.math.BigInteger notBefore) {
    return source.snapshotAtLeast(notBefore)
        .onSuccess(snapshot -> LOG.info("snapshot taken [source: {}, frontier: {}, rows: {}]", name,
            snapshot.frontier(), snapshot.rows().size()))
        .onFailure(failure -> LOG.warn("snapshot failed [source: {}, not before: {}, cause: {}]", name, notBefore,
            failure.getMessage()));
  }

  /** Remembers the schema of every batch handed to {@code next}, so schema requests see what the evaluator sees. */
  private BatchConsumer schemaRecording(BatchConsumer next) {
    return new BatchConsumer() {
      @Override
      public Future<Void> accept(ChangeBatch batch) {
        lastSchema = batch.schema();
        return next.accept(batch);
      }

      @Override
      public Future<ResumePosition> resumePosition() {
        return next.resumePosition();
      }
    };
  }

  private void answerSchema(Message<Void> request) {
    SourceSchema schema = lastSchema;
    if (schema == null) {
      EventBusErrors.fail(request, new ServiceException(ErrorCode.SOURCE_NOT_READY,
          "source '" + name + "' has not discovered its schema yet", "source"));
    } else {
      request.reply(schema);
    }
  }
}
