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
 */
public record DeliveryConfig(boolean allowPrivateTargets, long connectTimeoutMs, long requestTimeoutMs,
                             int maxInFlight, long historyRetentionHours) {

  public static final boolean DEFAULT_ALLOW_PRIVATE_TARGETS = false;
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_MAX_IN_FLIGHT = 64;
  /** Delivered and dead events (with their attempts) are kept this long, then pruned; pending ones never are. */
  public static final long DEFAULT_HISTORY_RETENTION_HOURS = 7 * 24;

  /** Every setting but the history retention as given, the retention at its default. */
  public DeliveryConfig(boolean allowPrivateTargets, long connectTimeoutMs, long requestTimeoutMs, int maxInFlight) {
    this(allowPrivateTargets, connectTimeoutMs, requestTimeoutMs, maxInFlight, DEFAULT_HISTORY_RETENTION_HOURS);
  }

  public static DeliveryConfig defaults() {
    return new DeliveryConfig(DEFAULT_ALLOW_PRIVATE_TARGETS, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS,
        DEFAULT_MAX_IN_FLIGHT);
  }
}
