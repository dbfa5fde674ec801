package io.tycostream.triggers.delivery;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.metrics.DeliveryMeters;
import io.tycostream.triggers.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers outbox events as signed webhooks (design.md §2, §3.6), at least once, retrying with backoff until a
 * {@code 2xx} or the retry policy is spent (dead-letter).
 * <p>
 * A thin shell over parts with one job each: {@link ClaimPrefetcher} claims due events ahead of demand in commit
 * order; {@link AttemptScheduler} routes them to one {@link EndpointLane} per webhook URL (its own in-flight limit,
 * circuit breaker and per-key order) within an overall in-flight limit; {@link EventDelivery} makes each attempt,
 * connecting to the address {@link TargetResolver} resolved and checked; {@link OutcomeWriter} records outcomes in
 * batched transactions. It listens to {@link BusAddresses#DELIVERY_WAKE} (look at the outbox now) and
 * {@link BusAddresses#TRIGGERS_CHANGED} (forget a cached trigger); both are hints, the store is the truth. It answers
 * {@link BusAddresses#DELIVERY_BREAKERS} with its breakers ({@link BreakerStates} reads them) and
 * {@link BusAddresses#DELIVERY_RATE_LIMITS} with the rate limiters of rate-limited triggers ({@link RateLimitStates}).
 * <p>
 * Every start is a new <em>incarnation</em> with a random id that its claims carry. Before claiming, it releases the
 * claims of every other incarnation, so the events a crashed or stopped previous run had in flight are sent again
 * within moments of the restart, not after their lease. This assumes one delivery node per store (SQLite allows one
 * process per data directory). In a cluster ({@link DeliveryOptions#setClusterClaimer}) claims carry the node id
 * and a start releases nothing: the other members release a departed node's claims when membership says it left,
 * and the lease frees them otherwise.
 * <p>
 * {@link #stop()} drains: it stops claiming, hands waiting events back unsent, waits up to
 * {@link DeliveryOptions#getDrainTimeout()} for the attempts in flight, and writes every outcome before it completes,
 * so the store can be closed right after it. Attempts still unanswered then are abandoned without a record (they are
 * sent again after a restart, as after a crash), and nothing is logged above INFO for the stop itself.
 * <p>
 * Deploy one instance per node.
 */
public final class DeliveryVerticle extends VerticleBase {

  /** How often the delivery gauges (in flight, waiting, breakers) are refreshed. */
  static final long OBSERVE_MS = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryVerticle.class);

  private final Store store;
  private final DeliveryOptions options;
  private final TargetResolver.Setup resolution;
  private final LongSupplier clockMs = System::currentTimeMillis;

  private String incarnation;
  private TriggerEndpointCache endpoints;
  private WebhookHttpSender sender;
  private TargetResolver resolver;
  private EventDelivery delivery;
  private OutcomeWriter outcomes;
  private AttemptScheduler scheduler;
  private ClaimPrefetcher prefetcher;
  private HistoryPruner pruner;
  private MessageConsumer<Object> wakeConsumer;
  private MessageConsumer<Object> changeConsumer;
  private MessageConsumer<Object> breakerConsumer;
  private MessageConsumer<Object> rateLimitConsumer;
  private DeliveryMeters meters = DeliveryMeters.unregistered();
  private long observeTimer = -1;

  public DeliveryVerticle(Store store, DeliveryOptions options) {
    this(store, options, TargetResolver.Setup.system());
  }

  /** Delivery that records its attempts, outcomes and breakers in {@code meters}. */
  public DeliveryVerticle(Store store, DeliveryOptions options, DeliveryMeters meters) {
    this(store, options, TargetResolver.Setup.system());
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  /** With another name lookup and address policy, for tests. */
  DeliveryVerticle(Store store, DeliveryOptions options, TargetResolver.Setup resolution) {
    this.store = Objects.requireNonNull(store, "store");
    this.options = Objects.requireNonNull(options, "options");
    this.resolution = Objects.requireNonNull(resolution, "resolution");
  }

  @Override
  public Future<?> start() {
    try {
      options.validate();
    } catch (IllegalArgumentException invalid) {
      return Future.failedFuture(invalid);
    }
    String clusterClaimer = options.getClusterClaimer();
    incarnation = clusterClaimer != null ? clusterClaimer : UUID.randomUUID().toString();
    endpoints = new TriggerEndpointCache(store);
    sender = new WebhookHttpSender(vertx, options);
    resolver = new TargetResolver(vertx, resolution, options.getAllowedTargets(),
        options.getResolutionTtl().toMillis(), clockMs);
    RetrySchedule schedule = new RetrySchedule(options.getRetryPolicy(), options.retryDefaults(),
        new SplittableRandom());
    delivery = new EventDelivery(resolver, sender, schedule, options.isRequireHttps(), clockMs);
    outcomes = new OutcomeWriter(vertx, store, options.getOutcomeFlushInterval().toMillis(),
        options.getOutcomeBatch(), options.getLease().toMillis() / 2, clockMs);
    scheduler = new AttemptScheduler(vertx, endpoints, delivery, outcomes, options, clockMs);
    scheduler.measureWith(meters);
    prefetcher = new ClaimPrefetcher(vertx, store, scheduler, incarnation, options, clockMs);
    scheduler.listen(prefetcher::roomFreed, prefetcher::exclusionEnded, prefetcher::wake);
    scheduler.batchWith(new BatchFormer(vertx, store.batches(), incarnation, options.getLease().toMillis(), clockMs,
        prefetcher::lastClaimFull));
    pruner = new HistoryPruner(vertx, store, options.getHistoryRetention(), clockMs);

    wakeConsumer = vertx.eventBus().consumer(BusAddresses.DELIVERY_WAKE, message -> prefetcher.wake());
    changeConsumer = vertx.eventBus().consumer(BusAddresses.TRIGGERS_CHANGED,
        message -> onTriggerChanged(message.body()));
    breakerConsumer = vertx.eventBus().localConsumer(BusAddresses.DELIVERY_BREAKERS,
        message -> message.reply(new JsonArray(scheduler.breakerStates().stream().map(BreakerState::toJson).toList())));
    rateLimitConsumer = vertx.eventBus().localConsumer(BusAddresses.DELIVERY_RATE_LIMITS, message -> message.reply(
        new JsonArray(scheduler.rateLimitStates().stream().map(RateLimitState::toJson).toList())));
    // in a cluster the other claimers may be live nodes: their claims end when membership says they left
    Future<Integer> release = clusterClaimer != null ? Future.succeededFuture(0)
        : store.releaseClaimsNotOf(incarnation);
    return release
        .onSuccess(released -> {
          if (released > 0) {
            LOG.info("claims of a previous run released, their events are due again [events: {}]", released);
          }
        })
        .compose(released -> Future.all(wakeConsumer.completion(), changeConsumer.completion(),
            breakerConsumer.completion(), rateLimitConsumer.completion()))
        .compose(registered -> MissingClientCertificates.warn(store, options.getNamedClientCertificates().keySet())
            .<Void>mapEmpty()
            .recover(failure -> {
              // a check for the operator only: delivery names the missing certificate in each attempt anyway
              LOG.warn("could not check the triggers' client certificates [cause: {}]", failure.getMessage());
              return Future.succeededFuture();
            }))
        .onSuccess(registered -> {
          prefetcher.start();
          pruner.start();
          observeTimer = vertx.setPeriodic(OBSERVE_MS, id -> observe());
          LOG.info("delivery started [max in flight: {}, per endpoint: {}, https required: {}, internal targets "
              + "allowed: {}]", options.getMaxInFlight(), options.getMaxInFlightPerEndpoint(),
              options.isRequireHttps(), options.getAllowedTargets());
        });
  }

  /** Hands the gauges what delivery holds now, on this event loop, so a scrape never reads the scheduler's state. */
  private void observe() {
    Map<String, String> breakers = new HashMap<>();
    scheduler.breakerStates().forEach(state -> breakers.put(state.endpoint(), state.state()));
    meters.observe(scheduler.inFlight(), Math.max(0, scheduler.held() - scheduler.inFlight()), breakers);
  }

  @Override
  public Future<?> stop() {
    if (observeTimer != -1) {
      vertx.cancelTimer(observeTimer);
      observeTimer = -1;
    }
    Future<Void> unregistered = Future.all(unregister(wakeConsumer), unregister(changeConsumer),
        unregister(breakerConsumer), unregister(rateLimitConsumer)).mapEmpty();
    if (prefetcher == null) {
      // start() failed before building anything
      return unregistered;
    }
    prefetcher.stop();
    Future<Void> drained = scheduler.stop(options.getDrainTimeout().toMillis(), prefetcher::claiming)
        .compose(idle -> {
          if (!idle) {
            LOG.info("delivery stopped with attempts in flight, abandoned; they are sent again after a restart "
                + "[in flight: {}, drain timeout: {} ms]", scheduler.inFlight(), options.getDrainTimeout().toMillis());
            delivery.abandonInFlight();
          }
          return outcomes.close();
        });
    return Future.join(drained, pruner.stop(), unregistered).eventually(this::releaseClients);
  }

  /** Closes what the attempts use; what is still in flight was abandoned first, so its failures are not recorded. */
  private Future<Void> releaseClients() {
    return Future.all(sender.close(), resolver.close()).mapEmpty();
  }

  private void onTriggerChanged(Object body) {
    String name = body instanceof JsonObject json ? json.getString("name") : null;
    if (name == null) {
      // a notification we cannot read: forget everything rather than keep a stale definition
      endpoints.clear();
    } else {
      endpoints.invalidate(name);
      scheduler.forgetTrigger(name);
    }
  }

  private static Future<Void> unregister(MessageConsumer<?> consumer) {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
