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
 * cached trigger); both are hints, the store is the truth. Delivery is at-least-once: a crash, or a stop with
 * requests in flight, leaves events leased, and they are sent again, with the same event id, once the lease runs out.
 * <p>
 * Deploy one instance per node; several nodes may share a store (claims are leases).
 */
public final class DeliveryVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryVerticle.class);

  private final Store store;
  private final DeliveryOptions options;
  private final LongSupplier clockMs = System::currentTimeMillis;

  private DeliveryLoop loop;
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
    // the loop is created below; the delivery asks it whether it still runs
    DeliveryLoop[] loopRef = new DeliveryLoop[1];
    guard = new TargetAddressGuard(vertx);
    EventDelivery delivery = new EventDelivery(store, endpoints, guard,
      options.isAllowPrivateTargets(), breakers, sender, schedule, clockMs, () -> loopRef[0].isRunning());
    loop = new DeliveryLoop(vertx, store, delivery, options, clockMs);
    pruner = new HistoryPruner(vertx, store, options.getHistoryRetention(), clockMs);
    loopRef[0] = loop;

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
    if (loop != null) {
      loop.stop();
    }
    if (pruner != null) {
      pruner.stop();
    }
    Future<Void> unregistered = Future.all(unregister(wakeConsumer), unregister(changeConsumer)).mapEmpty();
    if (breakers != null) {
      breakers.close();
    }
    if (sender != null) {
      sender.close();
    }
    if (guard != null) {
      guard.close();
    }
    return unregistered;
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
