package io.tycostream.triggers.config;

/**
 * How webhooks are sent.
 *
 * @param allowPrivateTargets whether webhook URLs may point at loopback, private or link-local addresses; off by
 *                            default so a trigger cannot be used to probe the service's own network (SSRF); the
 *                            demo turns it on to deliver to the service itself
 * @param connectTimeoutMs    milliseconds allowed to connect to a webhook endpoint
 * @param requestTimeoutMs    milliseconds allowed for the endpoint to answer once connected
 * @param maxInFlight         webhook requests in flight at once over all endpoints
 * @param maxInFlightPerEndpoint webhook requests in flight at once to one webhook URL, so a slow or hanging endpoint
 *                            holds at most this many of the shared slots (a value above {@code maxInFlight} acts as
 *                            {@code maxInFlight})
 * @param historyRetentionHours delivered and dead events (with their attempts) are kept this long, then pruned
 */
public record DeliveryConfig(boolean allowPrivateTargets, long connectTimeoutMs, long requestTimeoutMs,
                             int maxInFlight, int maxInFlightPerEndpoint, long historyRetentionHours) {

  public static final boolean DEFAULT_ALLOW_PRIVATE_TARGETS = false;
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
  /** Four times {@link #DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT}: three hanging endpoints leave the others 64 slots. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;
  /** Enough to saturate a fast receiver on a 2-core machine's loopback (about 20k requests/s). */
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT = 64;
  /** Delivered and dead events (with their attempts) are kept this long, then pruned; pending ones never are. */
  public static final long DEFAULT_HISTORY_RETENTION_HOURS = 7 * 24;

  /** The given settings, the per-endpoint limit and the history retention at their defaults. */
  public DeliveryConfig(boolean allowPrivateTargets, long connectTimeoutMs, long requestTimeoutMs, int maxInFlight) {
    this(allowPrivateTargets, connectTimeoutMs, requestTimeoutMs, maxInFlight, DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT,
        DEFAULT_HISTORY_RETENTION_HOURS);
  }

  public static DeliveryConfig defaults() {
    return new DeliveryConfig(DEFAULT_ALLOW_PRIVATE_TARGETS, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS,
        DEFAULT_MAX_IN_FLIGHT);
  }
}
