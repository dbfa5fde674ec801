package io.tycostream.triggers.source;

import io.tycostream.triggers.bus.BusAddresses;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@link BatchConsumer} a source sees: each call is a request to the evaluator over the event bus with an
 * explicit timeout, behind a circuit breaker so a stuck evaluator makes the source back off instead of piling up
 * requests.
 * <p>
 * Batches are not retried here: a failed (or timed-out) accept makes the source resume from
 * {@link #resumePosition()}. The evaluator treats that request as a barrier: it drops batches it still holds from the
 * abandoned hand-offs and answers with the checkpoint only after the commit in progress ended, so the replay neither
 * repeats nor skips a change. Resume-position requests are idempotent and retried.
 * Call from the source's context; {@link #close()} on undeploy.
 */
public final class EventBusBatchConsumer implements BatchConsumer, AutoCloseable {

  /** Consecutive failures that open the breaker. */
  public static final int MAX_FAILURES = 5;
  /** How long the breaker stays open before letting one call through. */
  public static final Duration RESET_TIMEOUT = Duration.ofSeconds(5);
  /** Retries of a failed resume-position request (it has no side effect). */
  public static final int RESUME_POSITION_RETRIES = 2;

  private final Vertx vertx;
  private final String source;
  private final Duration acceptTimeout;
  private final Duration resumeTimeout;
  private final CircuitBreaker acceptBreaker;
  private final CircuitBreaker resumeBreaker;

  public EventBusBatchConsumer(Vertx vertx, String source) {
    this(vertx, source, BusAddresses.BATCH_ACCEPT_TIMEOUT, BusAddresses.RESUME_POSITION_TIMEOUT);
  }

  public EventBusBatchConsumer(Vertx vertx, String source, Duration acceptTimeout, Duration resumeTimeout) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.source = Objects.requireNonNull(source, "source");
    this.acceptTimeout = acceptTimeout;
    this.resumeTimeout = resumeTimeout;
    this.acceptBreaker = CircuitBreaker.create("source-" + source + "-accept", vertx, breakerOptions(0));
    this.resumeBreaker = CircuitBreaker.create("source-" + source + "-resume", vertx,
        breakerOptions(RESUME_POSITION_RETRIES));
  }

  private static CircuitBreakerOptions breakerOptions(int retries) {
    return new CircuitBreakerOptions()
        .setMaxFailures(MAX_FAILURES)
        .setMaxRetries(retries)
        // the bus request carries its own timeout; the breaker only counts outcomes
        .setTimeout(-1)
        .setResetTimeout(RESET_TIMEOUT.toMillis())
        // no periodic state broadcasts on the bus: nobody listens to them
        .setNotificationAddress(null);
  }

  @Override
  public Future<Void> accept(ChangeBatch batch) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(acceptTimeout.toMillis());
    // the breaker counts only an evaluator that is absent or silent; its answered refusals ("resume from the
    // checkpoint") are the protocol working, and counting them would open the breaker and stall the source for
    // seconds after a brief store hiccup
    return acceptBreaker.<Throwable>execute(() -> vertx.eventBus()
            .request(BusAddresses.batches(source), batch, options)
            .<Throwable>map(reply -> null)
            .recover(failure -> isAnsweredRefusal(failure)
                ? Future.succeededFuture(failure)
                : Future.failedFuture(failure)))
        .compose(refusal -> refusal == null ? Future.succeededFuture() : Future.failedFuture(refusal));
  }

  private static boolean isAnsweredRefusal(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE;
  }

  @Override
  public Future<ResumePosition> resumePosition() {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(resumeTimeout.toMillis());
    return resumeBreaker.execute(() -> vertx.eventBus()
        .<ResumePosition>request(BusAddresses.resumePosition(source), null, options)
        .map(Message::body));
  }

  @Override
  public void close() {
    acceptBreaker.close();
    resumeBreaker.close();
  }
}
