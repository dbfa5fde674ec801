package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.tycostream.triggers.store.AlertOutbox;
import io.tycostream.triggers.store.StoredAlert;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one attempt of a claimed alert and records what it came to, with the same parts as trigger webhooks: the
 * address checked by {@link TargetResolver} at connect time (SSRF rules), the body signed by {@link WebhookSigner}
 * with the endpoint's secret (both secrets of a trigger's {@code alert_url} during a rotation overlap) and sent as
 * signed by {@link WebhookHttpSender}, retries on the {@link RetrySchedule} of the delivery options, dead once it is
 * spent.
 * <p>
 * Each failed attempt is logged once, here: WARN while retried, ERROR when the alert is dead. Not thread-safe: used
 * on the alert sender's event loop.
 */
final class AlertAttempts {

  private static final Logger LOG = LoggerFactory.getLogger(AlertAttempts.class);

  private final AlertOutbox outbox;
  private final TargetResolver resolver;
  private final WebhookHttpSender sender;
  private final RetrySchedule schedule;
  private final boolean requireHttps;
  private final LongSupplier clockMs;

  AlertAttempts(AlertOutbox outbox, TargetResolver resolver, WebhookHttpSender sender, RetrySchedule schedule,
                boolean requireHttps, LongSupplier clockMs) {
    this.outbox = outbox;
    this.resolver = resolver;
    this.sender = sender;
    this.schedule = schedule;
    this.requireHttps = requireHttps;
    this.clockMs = clockMs;
  }

  /** Sends a claimed alert once and records the outcome; completes once the outcome is durable. */
  Future<Void> attempt(StoredAlert alert, AlertEndpoint endpoint) {
    return send(alert, endpoint).compose(outcome -> record(alert, endpoint, outcome));
  }

  private Future<DeliveryOutcome> send(StoredAlert alert, AlertEndpoint endpoint) {
    if (requireHttps && !endpoint.target().secure()) {
      return Future.succeededFuture(DeliveryOutcome.ofFailure(
          new IllegalStateException(WebhookTargetPolicy.HTTPS_REQUIRED)));
    }
    AlertPayload payload = new AlertPayload(alert.eventId(), alert.eventType(), alert.dataJson());
    return resolver.resolve(endpoint.target().host())
        .compose(address -> {
          Instant sendTime = Instant.ofEpochMilli(clockMs.getAsLong());
          byte[] body = payload.encode(sendTime);
          WebhookHeaders headers = endpoint.signerAt(sendTime).sign(alert.eventId(), sendTime, body);
          return sender.post(endpoint.target(), address, headers, body);
        })
        .recover(failure -> Future.succeededFuture(DeliveryOutcome.ofFailure(failure)));
  }

  private Future<Void> record(StoredAlert alert, AlertEndpoint endpoint, DeliveryOutcome outcome) {
    long now = clockMs.getAsLong();
    if (outcome.isDelivered()) {
      return outbox.delivered(alert, now);
    }
    int attempt = alert.attempts() + 1;
    OptionalLong next = schedule.nextAttemptAt(attempt, outcome.retryAfter(), now);
    if (next.isPresent()) {
      LOG.warn("alert delivery failed, retrying [alert: {}, type: {}, event: {}, attempt: {}, error: {}, next in: {} "
          + "ms]", endpoint.name(), alert.eventType(), alert.eventId(), attempt, outcome.reason(),
          next.getAsLong() - now);
      return outbox.retry(alert, next.getAsLong(), outcome.reason());
    }
    LOG.error("alert delivery failed for good, alert dead [alert: {}, type: {}, event: {}, attempt: {}, error: {}]",
        endpoint.name(), alert.eventType(), alert.eventId(), attempt, outcome.reason());
    return outbox.dead(alert, outcome.reason());
  }
}
