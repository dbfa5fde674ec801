package io.tycostream.triggers.delivery;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers outbox events as signed webhooks (design.md §2, §3.6): claims due events, POSTs them through a
 * per-endpoint circuit breaker, and records every attempt, retrying with backoff until a {@code 2xx} or the retry
 * policy is spent (dead-letter).
 * <p>
 * A thin shell: {@link DeliveryLoop} schedules, {@link EventDelivery} delivers one event. It listens to
 * {@link BusAddresses#DELIVERY_WAKE} (look at the outbox now) and {@link BusAddresses#TRIGGERS_CHANGED} (forget a
 * cached trigger); both are hints, the store is the truth. Delivery is at-least-once: a crash leaves events leased,
 * and they are sent again, with the same event id, once the lease runs out.
 * <p>
 * {@link #stop()} drains: it stops claiming, then waits up to {@link DeliveryOptions#getDrainTimeout()} for the
 * attempts in flight and records their outcomes, so the store can be closed right after it. Attempts still unanswered
 * then are abandoned without a record (their events stay leased and are re-sent after a restart, as after a crash),
 * and nothing is logged above INFO for the stop itself.
 * <p>
 * Deploy one instance per node; several nodes may share a store (claims are leases).
 */
public final class DeliveryVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryVerticle.class);

  private final Store store;
  private final DeliveryOptions options;
  private final LongSupplier clockMs = System::currentTimeMillis;

  private DeliveryLoop loop;
  private EventDelivery delivery;
  private EndpointBreakers breakers;
  private WebhookHttpSender sender;
  private TriggerEndpointCache endpoints;
  private TargetAddressGuard guard;
  private HistoryPruner pruner;
  private MessageConsumer<Object> wakeConsumer;
  private MessageConsumer<Object> changeConsumer;

  public DeliveryVerticle(Store store, DeliveryOptions options) {
    this.store = Objects.requireNonNull(store, "store");
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public Future<?> start() {
    try {
      options.validate();
    } catch (IllegalArgumentException invalid) {
      return Future.failedFuture(invalid);
    }
    endpoints = new TriggerEndpointCache(store);
    breakers = new EndpointBreakers(vertx, options, clockMs);
    sender = new WebhookHttpSender(vertx, options);
    RetrySchedule schedule = new RetrySchedule(options.getRetryPolicy(), new SplittableRandom());
    guard = new TargetAddressGuard(vertx);
    delivery = new EventDelivery(store, endpoints, guard, options.isAllowPrivateTargets(), breakers, sender, schedule,
      clockMs);
    loop = new DeliveryLoop(vertx, store, delivery, options, clockMs);
    pruner = new HistoryPruner(vertx, store, options.getHistoryRetention(), clockMs);

    wakeConsumer = vertx.eventBus().consumer(BusAddresses.DELIVERY_WAKE, message -> loop.wake());
    changeConsumer = vertx.eventBus().consumer(BusAddresses.TRIGGERS_CHANGED, message -> onTriggerChanged(message.body()));
    return Future.all(wakeConsumer.completion(), changeConsumer.completion())
      .onSuccess(registered -> {
        loop.start();
        pruner.start();
        LOG.info("delivery started [max in flight: {}, private targets allowed: {}]", options.getMaxInFlight(),
          options.isAllowPrivateTargets());
      });
  }

  @Override
  public Future<?> stop() {
    Future<Void> unregistered = Future.all(unregister(wakeConsumer), unregister(changeConsumer)).mapEmpty();
    if (loop == null) {
      // start() failed before building anything
      return unregistered;
    }
    Future<Void> drained = loop.stop(options.getDrainTimeout()).map(idle -> {
      if (!idle) {
        LOG.info("delivery stopped with attempts in flight, abandoned until their lease runs out [in flight: {}, "
          + "drain timeout: {} ms]", loop.inFlight(), options.getDrainTimeout().toMillis());
      }
      return null;
    });
    return Future.join(drained, pruner.stop(), unregistered).eventually(this::releaseClients);
  }

  /** Closes what the attempts use; what is still in flight was abandoned first, so its failures are not recorded. */
  private Future<Void> releaseClients() {
    delivery.abandonInFlight();
    breakers.close();
    return Future.all(sender.close(), guard.close()).mapEmpty();
  }

  private void onTriggerChanged(Object body) {
    String name = body instanceof JsonObject json ? json.getString("name") : null;
    if (name == null) {
      // a notification we cannot read: forget everything rather than keep a stale definition
      endpoints.clear();
    } else {
      endpoints.invalidate(name);
    }
  }

  private static Future<Void> unregister(MessageConsumer<?> consumer) {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
