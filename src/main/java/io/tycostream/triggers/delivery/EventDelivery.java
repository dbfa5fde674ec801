package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.WebhookTarget;
import io.tycostream.triggers.delivery.TargetAddressGuard.TargetNotAllowedException;
import io.tycostream.triggers.store.DeliveryAttempt;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one claimed outbox event: finds its trigger's endpoint, checks the target address, sends the signed
 * payload through the endpoint's circuit breaker, and records the outcome in the store.
 * <ul>
 *   <li>{@code 2xx}: recorded as delivered.</li>
 *   <li>Any other answer, a transport failure, a refused address or an unusable trigger definition: a failed attempt
 *       (status, duration, error); the {@link RetrySchedule} picks the next attempt, or the event is dead.</li>
 *   <li>Open circuit: nothing is sent and <em>no attempt is counted</em>; the event is postponed to when the breaker
 *       lets a probe through. An outage of the endpoint must not spend the retry budget of every queued event
 *       without a single request having been made; the probe requests are real attempts and are counted.</li>
 *   <li>Trigger deleted: the event is dead-lettered with error {@value #TRIGGER_DELETED} (normally the deletion
 *       already removed its pending events, and the store then reports it unknown, which is fine).</li>
 * </ul>
 * Each failed attempt is logged once, at WARN, naming the trigger and the endpoint.
 * <p>
 * Once {@link #abandonInFlight()} was called (a stop whose drain time ran out), attempts still in flight record
 * nothing: their requests fail because the client closes, which says nothing about the receiver. Their lease runs
 * out and the event is sent again after a restart, exactly as after a crash.
 * <p>
 * Not thread-safe: used on the delivery verticle's event loop only. The returned futures always succeed; problems
 * are logged here, once.
 */
public final class EventDelivery {

  /** Error recorded for an event whose trigger no longer exists. */
  public static final String TRIGGER_DELETED = "trigger deleted";

  private static final Logger LOG = LoggerFactory.getLogger(EventDelivery.class);
  /** The endpoint logged for a trigger whose URL cannot be used. */
  private static final String NO_ENDPOINT = "none";

  private final Store store;
  private final TriggerEndpointCache endpoints;
  private final TargetAddressGuard guard;
  private final boolean allowPrivateTargets;
  private final EndpointBreakers breakers;
  private final WebhookHttpSender sender;
  private final RetrySchedule schedule;
  private final LongSupplier clockMs;
  private boolean abandoned;

  public EventDelivery(Store store, TriggerEndpointCache endpoints, TargetAddressGuard guard,
                       boolean allowPrivateTargets, EndpointBreakers breakers, WebhookHttpSender sender,
                       RetrySchedule schedule, LongSupplier clockMs) {
    this.store = store;
    this.endpoints = endpoints;
    this.guard = guard;
    this.allowPrivateTargets = allowPrivateTargets;
    this.breakers = breakers;
    this.sender = sender;
    this.schedule = schedule;
    this.clockMs = clockMs;
  }

  /**
   * From now on, deliveries in flight record nothing and log nothing above DEBUG; called when a stop gives up
   * waiting for them, before the HTTP client and the store are closed under them.
   */
  public void abandonInFlight() {
    abandoned = true;
  }

  /** Delivers one leased event; the future completes once its outcome is recorded (or given up on). */
  public Future<Void> deliver(StoredEvent event) {
    return endpoints.lookup(event.triggerName())
      .compose(endpoint -> endpoint.isPresent() ? attempt(event, endpoint.get()) : dropDeleted(event))
      .recover(failure -> {
        // the event stays leased and becomes due again when the lease runs out
        if (abandoned) {
          LOG.debug("delivery stopped, step abandoned [trigger: {}, event: {}]: {}", event.triggerName(),
            event.eventId(), failure.toString());
          return Future.succeededFuture();
        }
        LOG.warn("delivery step failed, event retried after its lease [trigger: {}, event: {}]: {}",
          event.triggerName(), event.eventId(), failure.toString());
        return Future.succeededFuture();
      });
  }

  private Future<Void> attempt(StoredEvent event, TriggerEndpoint endpoint) {
    Instant startedAt = Instant.ofEpochMilli(clockMs.getAsLong());
    if (!endpoint.usable()) {
      return record(event, NO_ENDPOINT, startedAt, 0, Result.failure(endpoint.problem()));
    }
    WebhookPayload payload;
    try {
      payload = new WebhookPayload(event.eventId(), event.eventType(), event.triggerName(), event.sourceTimestamp(),
        event.dataJson());
    } catch (IllegalArgumentException corrupt) {
      // a bug upstream, not the endpoint's fault: kept out of the breaker, retried, then dead-lettered
      return record(event, target(endpoint), startedAt, 0,
        Result.failure("event cannot be encoded: " + corrupt.getMessage()));
    }
    WebhookTarget target = endpoint.target();
    Future<Void> allowed = allowPrivateTargets ? Future.succeededFuture() : guard.check(target.host());
    long[] sentAtNanos = {System.nanoTime()};
    return allowed
      .compose(ok -> breakers.execute(target.endpoint(), () -> {
        sentAtNanos[0] = System.nanoTime();
        return send(payload, endpoint);
      }))
      .transform(result -> conclude(event, endpoint, startedAt, elapsedMs(sentAtNanos[0]), result));
  }

  /** Signs and POSTs; a non-{@code 2xx} answer fails the future so the breaker counts it. */
  private Future<DeliveryOutcome> send(WebhookPayload payload, TriggerEndpoint endpoint) {
    Instant sendTime = Instant.ofEpochMilli(clockMs.getAsLong());
    byte[] body = payload.encode(sendTime);
    WebhookHeaders headers = endpoint.signer().sign(payload.eventId(), sendTime, body);
    return sender.post(endpoint.target(), headers, body)
      .compose(outcome -> outcome.isDelivered()
        ? Future.succeededFuture(outcome)
        : Future.failedFuture(new UnacceptedResponseException(outcome)));
  }

  private Future<Void> conclude(StoredEvent event, TriggerEndpoint endpoint, Instant startedAt, long durationMs,
                                AsyncResult<DeliveryOutcome> result) {
    String target = target(endpoint);
    if (abandoned) {
      // abandoned by a stop: leave the lease to run out, as a crash would
      LOG.debug("delivery stopped, attempt abandoned [trigger: {}, event: {}, endpoint: {}]", event.triggerName(),
        event.eventId(), target);
      return Future.succeededFuture();
    }
    if (result.succeeded()) {
      return record(event, target, startedAt, durationMs, Result.of(result.result()));
    }
    Throwable cause = result.cause();
    if (EndpointBreakers.isRejection(cause)) {
      return postpone(event, endpoint);
    }
    if (cause instanceof UnacceptedResponseException unaccepted) {
      return record(event, target, startedAt, durationMs, Result.of(unaccepted.outcome));
    }
    if (cause instanceof TargetNotAllowedException) {
      return record(event, target, startedAt, 0, Result.failure(cause.getMessage()));
    }
    return record(event, target, startedAt, durationMs, Result.of(DeliveryOutcome.ofFailure(cause)));
  }

  private Future<Void> record(StoredEvent event, String target, Instant startedAt, long durationMs, Result result) {
    int attemptNumber = event.attempts() + 1;
    DeliveryAttempt attempt = new DeliveryAttempt(startedAt, durationMs, result.status, result.error);
    if (result.delivered) {
      return store.recordDelivered(event.eventId(), attempt)
        .onSuccess(moved -> LOG.debug("delivered [trigger: {}, event: {}, attempt: {}, status: {}, duration: {} ms]",
          event.triggerName(), event.eventId(), attemptNumber, result.status, durationMs))
        .transform(done -> ignoreUnknown(event, done));
    }
    long now = clockMs.getAsLong();
    OptionalLong next = schedule.nextAttemptAt(attemptNumber, result.retryAfter, now);
    if (next.isPresent()) {
      LOG.warn("delivery attempt failed [trigger: {}, endpoint: {}, event: {}, attempt: {}, status: {}, error: {}, "
        + "next in: {} ms]", event.triggerName(), target, event.eventId(), attemptNumber, result.status, result.error,
        next.getAsLong() - now);
      return store.recordFailure(event.eventId(), attempt, next.getAsLong()).transform(done -> ignoreUnknown(event, done));
    }
    LOG.error("delivery failed for good, event dead-lettered [trigger: {}, endpoint: {}, event: {}, attempt: {}, "
      + "status: {}, error: {}]", event.triggerName(), target, event.eventId(), attemptNumber, result.status,
      result.error);
    return store.recordDead(event.eventId(), attempt).transform(done -> ignoreUnknown(event, done));
  }

  private Future<Void> postpone(StoredEvent event, TriggerEndpoint endpoint) {
    long retryAt = breakers.retryAtMs(endpoint.target().endpoint());
    LOG.debug("circuit open, event postponed without an attempt [trigger: {}, event: {}, endpoint: {}, next in: {} ms]",
      event.triggerName(), event.eventId(), endpoint.target().endpoint(), retryAt - clockMs.getAsLong());
    return store.postpone(event.eventId(), retryAt).mapEmpty();
  }

  private Future<Void> dropDeleted(StoredEvent event) {
    LOG.warn("trigger of a leased event is gone, event dead-lettered [trigger: {}, event: {}]",
      event.triggerName(), event.eventId());
    DeliveryAttempt attempt = new DeliveryAttempt(Instant.ofEpochMilli(clockMs.getAsLong()), 0, null, TRIGGER_DELETED);
    return store.recordDead(event.eventId(), attempt).transform(done -> ignoreUnknown(event, done));
  }

  /** The endpoint for log lines ({@code scheme://host:port}: a URL's path and query may carry credentials). */
  private static String target(TriggerEndpoint endpoint) {
    return endpoint.usable() ? endpoint.target().endpoint() : NO_ENDPOINT;
  }

  /** An event deleted with its trigger meanwhile has nothing left to record. */
  private static Future<Void> ignoreUnknown(StoredEvent event, AsyncResult<Boolean> done) {
    if (done.failed() && done.cause() instanceof StoreException stored && stored.storeCode() == StoreErrorCode.NOT_FOUND) {
      LOG.debug("event no longer exists, outcome not recorded [trigger: {}, event: {}]", event.triggerName(),
        event.eventId());
      return Future.succeededFuture();
    }
    return done.failed() ? Future.failedFuture(done.cause()) : Future.succeededFuture();
  }

  private static long elapsedMs(long sinceNanos) {
    return Math.max(0, Duration.ofNanos(System.nanoTime() - sinceNanos).toMillis());
  }

  /** What an attempt yields for its record. */
  private record Result(boolean delivered, Integer status, String error, Optional<Duration> retryAfter) {

    static Result of(DeliveryOutcome outcome) {
      Integer status = outcome.httpStatus().isPresent() ? outcome.httpStatus().getAsInt() : null;
      return new Result(outcome.isDelivered(), status, outcome.isDelivered() ? null : outcome.reason(),
        outcome.retryAfter());
    }

    static Result failure(String error) {
      return new Result(false, null, error, Optional.empty());
    }
  }

  /** A non-{@code 2xx} answer, carried as a failure so the circuit breaker counts it. */
  private static final class UnacceptedResponseException extends RuntimeException {
    private final transient DeliveryOutcome outcome;

    UnacceptedResponseException(DeliveryOutcome outcome) {
      super(outcome.reason(), null, false, false);
      this.outcome = outcome;
    }
  }
}
