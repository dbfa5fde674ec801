package io.tycostream.triggers.delivery;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.definition.TriggerAlertName;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredAlert;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the operational alerts of the alert outbox ({@link io.tycostream.triggers.store.AlertOutbox}) to the
 * configured alert endpoints and to the {@code alert_url} of triggers ({@link TriggerAlertEndpoints}, resolved from
 * the store at every attempt), signed and retried like trigger webhooks ({@link AlertAttempts}).
 * <p>
 * Delivery semantics: at least once, always with the alert's event id. It polls the outbox every
 * {@link DeliveryOptions#getPollInterval()} and when told {@link BusAddresses#ALERTS_WAKE}; each due alert is claimed
 * with a lease of {@link DeliveryOptions#getLease()} before it is sent, so several nodes never send it at once and
 * an alert whose sender died is sent again when the lease ends. Alerts are few: they are sent one poll batch at a
 * time, without breakers or per-endpoint lanes. An alert for an endpoint no longer configured, or for a trigger that
 * was deleted or lost its {@code alert_url}, is marked dead.
 * Delivered and dead alerts are pruned hourly after {@link DeliveryOptions#getHistoryRetention()}.
 * <p>
 * A thin shell; {@code stop()} stops polling and closes the HTTP client (an attempt in flight is abandoned and sent
 * again after its lease). Deploy one instance per node (always: any trigger may be given an {@code alert_url}); idle,
 * it costs one indexed query of the outbox per poll interval.
 */
public final class AlertDeliveryVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AlertDeliveryVerticle.class);
  /** Alerts looked at per poll. */
  static final int POLL_BATCH = 32;
  static final String NOT_CONFIGURED = "alert endpoint no longer configured";
  /** Delivered and dead alerts older than the history retention are deleted this often, in slices. */
  static final long PRUNE_INTERVAL_MS = 3_600_000;
  static final int PRUNE_SLICE = 1_000;

  private final Store store;
  private final DeliveryOptions options;
  private final Map<String, AlertEndpoint> endpoints = new LinkedHashMap<>();
  private final TargetResolver.Setup resolution;
  private final LongSupplier clockMs = System::currentTimeMillis;
  private final TriggerAlertEndpoints triggerEndpoints;

  private WebhookHttpSender sender;
  private TargetResolver resolver;
  private AlertAttempts attempts;
  private MessageConsumer<Object> wakeConsumer;
  private long timerId = -1;
  private long pruneTimerId = -1;
  private boolean polling;
  private boolean pollAgain;
  private boolean stopped;

  public AlertDeliveryVerticle(Store store, DeliveryOptions options, List<AlertEndpoint> endpoints) {
    this(store, options, endpoints, TargetResolver.Setup.system());
  }

  /** With another name lookup and address policy, for tests. */
  AlertDeliveryVerticle(Store store, DeliveryOptions options, List<AlertEndpoint> endpoints,
                        TargetResolver.Setup resolution) {
    this.store = Objects.requireNonNull(store, "store");
    this.options = Objects.requireNonNull(options, "options");
    endpoints.forEach(endpoint -> this.endpoints.put(endpoint.name(), endpoint));
    this.resolution = Objects.requireNonNull(resolution, "resolution");
    this.triggerEndpoints = new TriggerAlertEndpoints(store);
  }

  @Override
  public Future<?> start() {
    sender = new WebhookHttpSender(vertx, options);
    resolver = new TargetResolver(vertx, resolution, options.getAllowedTargets(),
        options.getResolutionTtl().toMillis(), clockMs);
    attempts = new AlertAttempts(store.alerts(), resolver, sender,
        new RetrySchedule(options.getRetryPolicy(), new SplittableRandom()), options.isRequireHttps(), clockMs);
    wakeConsumer = vertx.eventBus().localConsumer(BusAddresses.ALERTS_WAKE, message -> poll());
    return wakeConsumer.completion().onSuccess(registered -> {
      timerId = vertx.setPeriodic(options.getPollInterval().toMillis(), tick -> poll());
      pruneTimerId = vertx.setPeriodic(PRUNE_INTERVAL_MS, tick -> prune());
      poll();
      LOG.info("alert delivery started [endpoints: {}]", endpoints.keySet());
    });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (timerId != -1) {
      vertx.cancelTimer(timerId);
      vertx.cancelTimer(pruneTimerId);
    }
    Future<Void> unregistered = wakeConsumer == null ? Future.succeededFuture() : wakeConsumer.unregister();
    return unregistered.eventually(() -> sender == null ? Future.succeededFuture()
        : Future.all(sender.close(), resolver.close()));
  }

  /** Sends what is due; a poll asked for while one runs runs right after it, so no wake-up is lost. */
  private void poll() {
    if (stopped) {
      return;
    }
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = true;
    store.alerts().due(clockMs.getAsLong(), POLL_BATCH)
        .compose(due -> Future.join(due.stream().map(this::deliver).toList()))
        .onComplete(done -> {
          polling = false;
          if (done.failed()) {
            LOG.warn("alert delivery round failed, retried at the next poll [cause: {}]", done.cause().toString());
          }
          if (pollAgain) {
            pollAgain = false;
            poll();
          }
        });
  }

  private void prune() {
    store.alerts().prune(clockMs.getAsLong() - options.getHistoryRetention().toMillis(), PRUNE_SLICE)
        .onSuccess(pruned -> LOG.debug("alerts pruned [alerts: {}]", pruned))
        .onFailure(failure -> LOG.warn("pruning alerts failed, retried later [cause: {}]", failure.toString()));
  }

  private Future<Void> deliver(StoredAlert alert) {
    AlertEndpoint endpoint = endpoints.get(alert.alertName());
    if (endpoint != null) {
      return claimAndAttempt(alert, endpoint);
    }
    Optional<String> trigger = TriggerAlertName.triggerOf(alert.alertName());
    if (trigger.isPresent()) {
      return triggerEndpoints.resolve(alert.alertName(), trigger.get()).compose(resolved -> {
        if (resolved.endpoint() != null) {
          return claimAndAttempt(alert, resolved.endpoint());
        }
        LOG.warn("alert for a trigger's alert_url that cannot be sent any more, marked dead [alert: {}, event: {}, "
            + "reason: {}]", alert.alertName(), alert.eventId(), resolved.problem());
        return store.alerts().dead(alert, resolved.problem());
      });
    }
    LOG.warn("alert for an endpoint no longer configured, marked dead [alert: {}, event: {}]", alert.alertName(),
        alert.eventId());
    return store.alerts().dead(alert, NOT_CONFIGURED);
  }

  private Future<Void> claimAndAttempt(StoredAlert alert, AlertEndpoint endpoint) {
    long now = clockMs.getAsLong();
    return store.alerts().claim(alert, now, now + options.getLease().toMillis())
        .compose(won -> won && !stopped ? attempts.attempt(alert, endpoint) : Future.<Void>succeededFuture());
  }
}
