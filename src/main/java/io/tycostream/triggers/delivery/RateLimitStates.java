package io.tycostream.triggers.delivery;

import io.tycostream.triggers.bus.BusAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the rate limiter of a trigger on this node's delivery: how many of its claimed events wait for a token, and
 * the tokens in its bucket. Asks the {@link DeliveryVerticle} over the local event bus
 * ({@link BusAddresses#DELIVERY_RATE_LIMITS}) with a timeout, so it may be called from any verticle. In a cluster
 * each node limits the events it delivers itself; this reads the local node's. A node without delivery, or a trigger
 * whose events this node has not delivered lately, answers empty. Thread-safe and stateless.
 */
public final class RateLimitStates {

  /** How long a read waits for delivery to answer. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private final Vertx vertx;
  private final Duration timeout;

  private RateLimitStates(Vertx vertx, Duration timeout) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  public static RateLimitStates of(Vertx vertx) {
    return new RateLimitStates(vertx, DEFAULT_TIMEOUT);
  }

  /** The limiter of {@code trigger} on this node, empty when it has none here. */
  public Future<Optional<RateLimitState>> forTrigger(String trigger) {
    return vertx.eventBus().<JsonArray>request(BusAddresses.DELIVERY_RATE_LIMITS, null,
            new DeliveryOptions().setSendTimeout(timeout.toMillis()).setLocalOnly(true))
        .map(reply -> reply.body().stream()
            .map(item -> RateLimitState.fromJson((JsonObject) item))
            .filter(state -> state.trigger().equals(trigger))
            .findFirst())
        .recover(failure -> failure instanceof ReplyException noDelivery
            && noDelivery.failureType() == ReplyFailure.NO_HANDLERS
            ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(failure));
  }
}
