package io.tycostream.triggers.delivery;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One {@link CircuitBreaker} per webhook endpoint ({@code scheme://host:port}), created on first use.
 * <p>
 * A breaker opens after {@code breakerMaxFailures} consecutive failed attempts to its endpoint (a success resets
 * the count); while open, {@link #execute} fails at once with {@link OpenCircuitException} and sends nothing; after
 * {@code breakerResetTimeout} one probe request is let through (half-open) and its result closes or re-opens the
 * circuit. The breakers never retry and have no fallback or timeout of their own: retries are the outbox's job
 * (durable, with backoff) and the HTTP client enforces the timeouts. Their event-bus notifications are switched off.
 * <p>
 * Not thread-safe: used on the delivery verticle's event loop only.
 */
public final class EndpointBreakers {

  private final Vertx vertx;
  private final DeliveryOptions options;
  private final LongSupplier clockMs;
  private final Map<String, CircuitBreaker> breakers = new HashMap<>();
  private final Map<String, Long> openedAtMs = new HashMap<>();

  public EndpointBreakers(Vertx vertx, DeliveryOptions options, LongSupplier clockMs) {
    this.vertx = vertx;
    this.options = options;
    this.clockMs = clockMs;
  }

  /** Runs {@code command} through the endpoint's breaker; a failed future counts as a failure of the endpoint. */
  public <T> Future<T> execute(String endpoint, Supplier<Future<T>> command) {
    return breaker(endpoint).execute(command);
  }

  /** Whether a failure is the breaker refusing to send, rather than a failed request. */
  public static boolean isRejection(Throwable failure) {
    return failure instanceof OpenCircuitException;
  }

  /**
   * When an event refused by the breaker should be tried again: the moment the open circuit lets a probe through,
   * or, while a probe is already out (half-open), one poll interval from now.
   */
  public long retryAtMs(String endpoint) {
    long now = clockMs.getAsLong();
    CircuitBreaker breaker = breakers.get(endpoint);
    Long openedAt = openedAtMs.get(endpoint);
    if (breaker != null && breaker.state() == CircuitBreakerState.OPEN && openedAt != null) {
      return Math.max(now, openedAt + options.getBreakerResetTimeout().toMillis());
    }
    return now + Math.min(options.getPollInterval().toMillis(), options.getBreakerResetTimeout().toMillis());
  }

  /** The breaker's state, {@link CircuitBreakerState#CLOSED} for an endpoint never used. */
  public CircuitBreakerState state(String endpoint) {
    CircuitBreaker breaker = breakers.get(endpoint);
    return breaker == null ? CircuitBreakerState.CLOSED : breaker.state();
  }

  /** Closes every breaker. */
  public void close() {
    breakers.values().forEach(CircuitBreaker::close);
    breakers.clear();
    openedAtMs.clear();
  }

  private CircuitBreaker breaker(String endpoint) {
    return breakers.computeIfAbsent(endpoint, this::create);
  }

  private CircuitBreaker create(String endpoint) {
    CircuitBreakerOptions breakerOptions = new CircuitBreakerOptions()
      .setMaxFailures(options.getBreakerMaxFailures())
      .setResetTimeout(options.getBreakerResetTimeout().toMillis())
      .setTimeout(-1)
      .setMaxRetries(0)
      .setFallbackOnFailure(false)
      .setNotificationAddress(null);
    CircuitBreaker breaker = CircuitBreaker.create("webhook " + endpoint, vertx, breakerOptions);
    breaker.openHandler(opened -> openedAtMs.put(endpoint, clockMs.getAsLong()));
    breaker.closeHandler(closed -> openedAtMs.remove(endpoint));
    return breaker;
  }
}
