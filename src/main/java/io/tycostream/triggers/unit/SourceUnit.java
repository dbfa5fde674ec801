package io.tycostream.triggers.unit;

import io.tycostream.triggers.source.ChangeSourceFactory;
import io.tycostream.triggers.source.SourceProgress;
import io.tycostream.triggers.source.SourceVerticle;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.trigger.TriggerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * One source unit (design.md §2): the reader of one source and the evaluation of that source's triggers, deployed
 * together as two verticles with their own event-loop contexts that talk over local event-bus consumers. The unit is
 * what the application runs once per configured source (and what a cluster node will own), so a slow baseline or a
 * failing connection on one source never holds up another.
 * <p>
 * {@link #start()} deploys the evaluator first (so batches have somewhere to go), then the reader;
 * {@link #stop()} undeploys the reader first (its waiting read is cancelled, no new batches), then the evaluator,
 * which drains the commit in progress. Call {@code start} once and {@code stop} at most once, from any thread.
 */
public final class SourceUnit {

  private static final Logger LOG = LoggerFactory.getLogger(SourceUnit.class);

  private final Vertx vertx;
  private final String source;
  private final ChangeSourceFactory reader;
  private final Store store;
  private final SourceProgress progress;
  private final String owner;
  private volatile long epoch;
  private volatile Runnable onFencedStop = () -> { };
  private volatile String evaluatorDeployment;
  private volatile String readerDeployment;

  /**
   * @param reader   makes the source's reader (the application picks Materialize or the load generator)
   * @param progress where the reader and the evaluator report, and the health check reads
   * @param owner    this node's id, recorded as the source's owner when the unit takes it
   */
  public SourceUnit(Vertx vertx, String source, ChangeSourceFactory reader, Store store, SourceProgress progress,
                    String owner) {
    this.owner = Objects.requireNonNull(owner, "owner");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.source = Objects.requireNonNull(source, "source");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.store = Objects.requireNonNull(store, "store");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  public String source() {
    return source;
  }

  public SourceProgress progress() {
    return progress;
  }

  /** Called once the unit stopped itself because another node took its source over. */
  public SourceUnit whenFenced(Runnable handler) {
    this.onFencedStop = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /** The fencing epoch this unit took the source with, 0 before it did. */
  public long epoch() {
    return epoch;
  }

  /**
   * Takes the source for this node (raising its fencing epoch, so a former owner cannot commit any more), then
   * deploys the evaluator, which reads the checkpoint, then the reader; on failure, what was deployed is undeployed
   * again. If another node takes the source later, the evaluator's next commit is refused and the unit stops itself.
   */
  public Future<Void> start() {
    progress.onFenced(() -> {
      LOG.error("source taken over by another node, this node stops running it [source: {}, epoch: {}]", source,
          epoch);
      // the ownership is another node's now: nothing to give up
      stop(false).onComplete(stopped -> onFencedStop.run());
    });
    return store.takeSource(source, owner)
        .compose(taken -> {
          epoch = taken;
          LOG.info("source taken [source: {}, owner: {}, epoch: {}]", source, owner, taken);
          return vertx.deployVerticle(new TriggerVerticle(source, store, progress));
        })
        .compose(evaluator -> {
          evaluatorDeployment = evaluator;
          return vertx.deployVerticle(new SourceVerticle(source, reader, progress));
        })
        .<Void>map(readerId -> {
          readerDeployment = readerId;
          LOG.info("source unit started [source: {}]", source);
          return null;
        })
        .recover(failure -> stop().transform(stopped -> Future.failedFuture(failure)));
  }

  /**
   * Undeploys the reader, then the evaluator, then gives the source up in the store (so another node may take it at
   * once); never fails (an undeploy failure is logged).
   */
  public Future<Void> stop() {
    return stop(true);
  }

  private Future<Void> stop(boolean release) {
    long taken = epoch;
    return undeploy(readerDeployment, "reader")
        .compose(v -> undeploy(evaluatorDeployment, "evaluator"))
        .compose(v -> {
          readerDeployment = null;
          evaluatorDeployment = null;
          if (!release || taken == 0) {
            store.forgetSource(source);
            return Future.<Void>succeededFuture();
          }
          return store.releaseSource(source, owner, taken)
              .onFailure(failure -> LOG.warn("giving the source up failed; another node takes it once this one "
                  + "left [source: {}, cause: {}]", source, failure.getMessage()))
              .<Void>mapEmpty()
              .recover(failure -> Future.succeededFuture());
        });
  }

  private Future<Void> undeploy(String deployment, String what) {
    if (deployment == null) {
      return Future.succeededFuture();
    }
    return vertx.undeploy(deployment).recover(failure -> {
      LOG.warn("undeploy failed [source: {}, part: {}, cause: {}]", source, what, failure.getMessage());
      return Future.succeededFuture();
    });
  }
}
