package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.DurationText;
import io.tycostream.triggers.definition.RetrySpec;
import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.tycostream.triggers.delivery.LaneBreaker.Verdict;
import io.tycostream.triggers.delivery.TargetResolver.TargetNotAllowedException;
import io.tycostream.triggers.store.DeadReason;
import io.tycostream.triggers.store.DeliveryAttempt;
import io.tycostream.triggers.store.OutboxOutcome;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one delivery attempt of a claimed event and decides what it means: resolves and checks the target once
 * ({@link TargetResolver}), signs the exact bytes sent, POSTs them to the checked address, and turns the answer into
 * an {@link AttemptReport}.
 * <ul>
 *   <li>{@code 2xx}: delivered.</li>
 *   <li>Any other answer, a transport failure, a refused address, an {@code http://} URL while https is required
 *       ({@value WebhookTargetPolicy#HTTPS_REQUIRED}, nothing is connected), a {@code webhook.client_certificate}
 *       that is not configured (nothing is connected) or an unusable trigger definition: a
 *       failed attempt (status, duration, error); the {@link RetrySchedule} picks the next attempt under the
 *       trigger's own {@code retry} (or the service's policy), or the event is dead ({@code attempts_exhausted}, or
 *       {@code expired} past its {@code retry.max_age}). Only answers and transport failures count against the
 *       endpoint's breaker. The request is cut off after the trigger's {@code timeout} (or the service's).</li>
 *   <li>Trigger deleted: the event is dead-lettered with error {@value #TRIGGER_DELETED}, nothing is sent.</li>
 * </ul>
 * Each failed attempt is logged once, here, at WARN (ERROR when the event is dead-lettered), naming the trigger and
 * the endpoint ({@code scheme://host:port}: a URL's path and query may carry credentials).
 * <p>
 * Once {@link #abandonInFlight()} was called (a stop whose drain time ran out), attempts still in flight report
 * {@link AttemptReport#abandoned()}: their requests fail because the client closes, which says nothing about the
 * receiver.
 * <p>
 * Not thread-safe: used on the delivery verticle's event loop only. The returned futures always succeed.
 */
final class EventDelivery {

  /** Error recorded for an event that came due while its endpoint's circuit was open (nothing was sent). */
  static final String CIRCUIT_OPEN = "circuit open, not sent";
  /** Error recorded for an event whose trigger no longer exists. */
  static final String TRIGGER_DELETED = "trigger deleted";

  private static final Logger LOG = LoggerFactory.getLogger(EventDelivery.class);
  /** The endpoint logged for a trigger whose URL cannot be used. */
  private static final String NO_ENDPOINT = "none";

  private final TargetResolver resolver;
  private final WebhookHttpSender sender;
  private final RetrySchedule schedule;
  private final boolean requireHttps;
  private final LongSupplier clockMs;
  private boolean abandoned;

  /** @param requireHttps whether an {@code http://} target fails its attempts without a connection */
  EventDelivery(TargetResolver resolver, WebhookHttpSender sender, RetrySchedule schedule, boolean requireHttps,
                LongSupplier clockMs) {
    this.resolver = resolver;
    this.sender = sender;
    this.schedule = schedule;
    this.requireHttps = requireHttps;
    this.clockMs = clockMs;
  }

  /** From now on, attempts in flight record nothing and log nothing above DEBUG. */
  void abandonInFlight() {
    abandoned = true;
  }

  /**
   * Sends one leased event, or one batch as one message (its id the {@code webhook-id}, one signature over the whole
   * body), to its trigger's usable endpoint; the future completes with what it came to. A batch's report stands for
   * every member.
   */
  Future<AttemptReport> attempt(ClaimedEvent claimed) {
    StoredEvent event = claimed.event();
    TriggerEndpoint endpoint = claimed.endpoint();
    Instant startedAt = Instant.ofEpochMilli(clockMs.getAsLong());
    String webhookId;
    Function<Instant, byte[]> body;
    try {
      if (claimed.isBatch()) {
        BatchPayload batch = new BatchPayload(claimed.batch().batchId(),
            claimed.batch().members().stream().map(EventDelivery::payload).toList());
        webhookId = batch.batchId();
        body = batch::encode;
      } else {
        WebhookPayload payload = payload(event);
        webhookId = payload.eventId();
        body = payload::encode;
      }
    } catch (IllegalArgumentException corrupt) {
      // a bug upstream, not the endpoint's fault: kept out of the breaker, retried, then dead-lettered
      return Future.succeededFuture(failed(event, endpoint, unitOf(claimed), endpoint.target().endpoint(),
          Verdict.NEUTRAL,
          new DeliveryAttempt(startedAt, 0, null, "event cannot be encoded: " + corrupt.getMessage()),
          Optional.empty()));
    }
    if (requireHttps && !endpoint.target().secure()) {
      // stored before require_https was turned on: refused like an address outside the policy, and retried, so
      // the events wait for the operator (turn the setting off again, or replace the trigger) until the policy ends
      return Future.succeededFuture(failed(event, endpoint, unitOf(claimed), endpoint.target().endpoint(),
          Verdict.NEUTRAL,
          new DeliveryAttempt(startedAt, 0, null, WebhookTargetPolicy.HTTPS_REQUIRED), Optional.empty()));
    }
    if (!sender.presentsCertificateOf(endpoint.target())) {
      // the trigger names a certificate the configuration no longer has: never sent without it or with another
      return Future.succeededFuture(failed(event, endpoint, unitOf(claimed), endpoint.target().endpoint(),
          Verdict.NEUTRAL, new DeliveryAttempt(startedAt, 0, null, sender.missingCertificate(endpoint.target())),
          Optional.empty()));
    }
    long[] sentAtNanos = {System.nanoTime()};
    return resolver.resolve(endpoint.target().host())
        .compose(address -> {
          sentAtNanos[0] = System.nanoTime();
          Instant sendTime = Instant.ofEpochMilli(clockMs.getAsLong());
          byte[] bytes = body.apply(sendTime);
          WebhookHeaders headers = endpoint.signerAt(sendTime).sign(webhookId, sendTime, bytes);
          return sender.post(endpoint.target(), address, headers, bytes, endpoint.timeout());
        })
        .transform(result -> Future.succeededFuture(conclude(claimed, startedAt, elapsedMs(sentAtNanos[0]),
            result)));
  }

  private static WebhookPayload payload(StoredEvent event) {
    return new WebhookPayload(event.eventId(), event.eventType(), event.triggerName(), event.sourceTimestamp(),
        event.dataJson());
  }

  /** A failed attempt without a request: the trigger's URL or secret cannot be used. */
  AttemptReport unusable(StoredEvent event, TriggerEndpoint endpoint) {
    DeliveryAttempt attempt = new DeliveryAttempt(Instant.ofEpochMilli(clockMs.getAsLong()), 0, null,
        endpoint.problem());
    return failed(event, endpoint, event.eventId(), NO_ENDPOINT, Verdict.NEUTRAL, attempt, Optional.empty());
  }

  /**
   * A failed attempt without a request: the event came due while its endpoint's circuit was open. It spends one
   * slot of the retry budget, exactly as a refused request would, so an endpoint that stays down dead-letters its
   * events on the retry schedule. Logged at DEBUG (the breaker logs its transitions), ERROR when the event dies.
   */
  AttemptReport blocked(StoredEvent event, String endpoint, RetrySpec retry) {
    int attemptNumber = event.attempts() + 1;
    long now = clockMs.getAsLong();
    DeliveryAttempt attempt = new DeliveryAttempt(Instant.ofEpochMilli(now), 0, null, CIRCUIT_OPEN);
    RetrySchedule.Step step = schedule.afterFailure(event, retry, Optional.empty(), now);
    OptionalLong next = step.nextAttemptAt();
    if (next.isPresent()) {
      LOG.debug("circuit open, attempt counted without a request [trigger: {}, endpoint: {}, event: {}, attempt: {}, "
          + "next in: {} ms]", event.triggerName(), endpoint, event.eventId(), attemptNumber, next.getAsLong() - now);
    } else {
      LOG.error("delivery failed for good, event dead-lettered [trigger: {}, endpoint: {}, event: {}, attempt: {}, "
          + "status: null, error: {}, reason: {}]", event.triggerName(), endpoint, event.eventId(), attemptNumber,
          CIRCUIT_OPEN, step.deadReason().dbValue());
    }
    return AttemptReport.failed(Verdict.NEUTRAL, attempt, step);
  }

  /**
   * Whether a claimed event came due past its trigger's {@code retry.max_age} (the service was down, its circuit
   * postponed it): it is dead-lettered unsent ({@link #expiredUnsent}).
   */
  boolean isExpired(StoredEvent event, TriggerEndpoint endpoint) {
    return RetrySchedule.isExpired(event, endpoint.retry(), clockMs.getAsLong());
  }

  /** The dead-letter outcome, reason {@code expired}, of an event that came due past its max age; nothing is sent. */
  OutboxOutcome expiredUnsent(StoredEvent event, TriggerEndpoint endpoint) {
    long now = clockMs.getAsLong();
    String error = "expired: undelivered " + (now - event.createdAt().toEpochMilli()) + " ms after its commit "
        + "(retry.max_age " + DurationText.format(endpoint.retry().maxAge()) + "), not sent";
    LOG.error("event expired before delivery, dead-lettered [trigger: {}, event: {}, attempts: {}, error: {}]",
        event.triggerName(), event.eventId(), event.attempts(), error);
    return OutboxOutcome.dead(event, new DeliveryAttempt(Instant.ofEpochMilli(now), 0, null, error),
        DeadReason.EXPIRED);
  }

  /** The dead-letter outcome of a leased event whose trigger is gone; nothing is sent. */
  OutboxOutcome deleted(StoredEvent event) {
    LOG.warn("trigger of a leased event is gone, event dead-lettered [trigger: {}, event: {}]",
        event.triggerName(), event.eventId());
    DeliveryAttempt attempt = new DeliveryAttempt(Instant.ofEpochMilli(clockMs.getAsLong()), 0, null,
        TRIGGER_DELETED);
    return OutboxOutcome.dead(event, attempt, DeadReason.TRIGGER_DELETED);
  }

  private AttemptReport conclude(ClaimedEvent claimed, Instant startedAt, long durationMs,
                                 AsyncResult<DeliveryOutcome> result) {
    StoredEvent event = claimed.event();
    String target = claimed.endpoint().target().endpoint();
    if (abandoned) {
      LOG.debug("delivery stopped, attempt abandoned [trigger: {}, event: {}, endpoint: {}]", event.triggerName(),
          event.eventId(), target);
      return AttemptReport.abandoned();
    }
    if (result.failed() && result.cause() instanceof TargetNotAllowedException refused) {
      return failed(event, claimed.endpoint(), unitOf(claimed), target, Verdict.NEUTRAL,
          new DeliveryAttempt(startedAt, 0, null, refused.getMessage()),
          Optional.empty());
    }
    DeliveryOutcome outcome = result.succeeded() ? result.result() : DeliveryOutcome.ofFailure(result.cause());
    Integer status = outcome.httpStatus().isPresent() ? outcome.httpStatus().getAsInt() : null;
    if (outcome.isDelivered()) {
      LOG.debug("delivered [trigger: {}, event: {}, attempt: {}, status: {}, duration: {} ms]", event.triggerName(),
          unitOf(claimed), event.attempts() + 1, status, durationMs);
      return new AttemptReport(Verdict.SUCCESS,
          new DeliveryAttempt(startedAt, durationMs, status, null, outcome.responseExcerpt()), true,
          OptionalLong.empty());
    }
    return failed(event, claimed.endpoint(), unitOf(claimed), target, Verdict.FAILURE,
        new DeliveryAttempt(startedAt, durationMs, status, outcome.reason(), outcome.responseExcerpt()),
        outcome.retryAfter());
  }

  /** What log lines name: the event id, or for a batch its id and size. */
  private static String unitOf(ClaimedEvent claimed) {
    return claimed.isBatch() ? claimed.batch().batchId() + " (" + claimed.batch().size() + " events)"
        : claimed.event().eventId();
  }

  private AttemptReport failed(StoredEvent event, TriggerEndpoint endpoint, String unit, String target,
                               Verdict verdict, DeliveryAttempt attempt, Optional<Duration> retryAfter) {
    int attemptNumber = event.attempts() + 1;
    long now = clockMs.getAsLong();
    RetrySchedule.Step step = schedule.afterFailure(event, endpoint.retry(), retryAfter, now);
    OptionalLong next = step.nextAttemptAt();
    if (next.isPresent()) {
      LOG.warn("delivery attempt failed [trigger: {}, endpoint: {}, event: {}, attempt: {}, status: {}, error: {}, "
          + "next in: {} ms]", event.triggerName(), target, unit, attemptNumber, attempt.httpStatus(),
          attempt.error(), next.getAsLong() - now);
    } else {
      LOG.error("delivery failed for good, event dead-lettered [trigger: {}, endpoint: {}, event: {}, attempt: {}, "
          + "status: {}, error: {}, reason: {}]", event.triggerName(), target, unit, attemptNumber,
          attempt.httpStatus(), attempt.error(), step.deadReason().dbValue());
    }
    return AttemptReport.failed(verdict, attempt, step);
  }

  private static long elapsedMs(long sinceNanos) {
    return Math.max(0, Duration.ofNanos(System.nanoTime() - sinceNanos).toMillis());
  }
}
