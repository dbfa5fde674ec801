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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads the circuit breakers of this node's delivery: the endpoints whose breaker is open, half-open, or closed with
 * failures counted (an endpoint not listed is closed and healthy). Asks the {@link DeliveryVerticle} over the local
 * event bus ({@link BusAddresses#DELIVERY_BREAKERS}) with a timeout, so it may be called from any verticle. In a
 * cluster each node keeps its own breakers; this reads the local node's. A node without delivery answers an empty
 * list. Thread-safe and stateless.
 */
public final class BreakerStates {

  /** How long a read waits for delivery to answer. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private final Vertx vertx;
  private final Duration timeout;

  private BreakerStates(Vertx vertx, Duration timeout) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  public static BreakerStates of(Vertx vertx) {
    return new BreakerStates(vertx, DEFAULT_TIMEOUT);
  }

  /** Every endpoint with a breaker worth showing, ordered by endpoint. */
  public Future<List<BreakerState>> all() {
    return vertx.eventBus().<JsonArray>request(BusAddresses.DELIVERY_BREAKERS, null,
            new DeliveryOptions().setSendTimeout(timeout.toMillis()).setLocalOnly(true))
        .map(reply -> {
          List<BreakerState> states = new ArrayList<>();
          reply.body().forEach(item -> states.add(BreakerState.fromJson((JsonObject) item)));
          return states;
        })
        .recover(failure -> failure instanceof ReplyException noDelivery
            && noDelivery.failureType() == ReplyFailure.NO_HANDLERS
            ? Future.succeededFuture(List.of()) : Future.failedFuture(failure));
  }

  /** The breakers of the endpoints {@code trigger}'s events went to (usually one; none while closed and healthy). */
  public Future<List<BreakerState>> forTrigger(String trigger) {
    return all().map(states -> states.stream().filter(state -> state.triggers().contains(trigger)).toList());
  }
}
