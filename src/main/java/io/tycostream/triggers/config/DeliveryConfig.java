package io.tycostream.triggers.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.tycostream.triggers.definition.TargetAllowList;
import io.tycostream.triggers.definition.WebhookTargetPolicy;
import java.util.List;
import java.util.Objects;

import static java.util.Objects.requireNonNullElse;

/**
 * How webhooks are sent.
 *
 * @param allowPrivateTargets deprecated alias: {@code true} allows every internal target, as an
 *                            {@code allowedTargets} covering everything would; off by default so a trigger cannot
 *                            be used to probe the service's own network (SSRF)
 * @param connectTimeoutMs    milliseconds allowed to connect to a webhook endpoint
 * @param requestTimeoutMs    milliseconds allowed for the endpoint to answer once connected
 * @param maxInFlight         webhook requests in flight at once over all endpoints
 * @param maxInFlightPerEndpoint webhook requests in flight at once to one webhook URL, so a slow or hanging endpoint
 *                            holds at most this many of the shared slots (a value above {@code maxInFlight} acts as
 *                            {@code maxInFlight})
 * @param historyRetentionHours delivered and dead events (with their attempts) are kept this long, then pruned
 * @param requireHttps        whether {@code http://} webhook URLs are refused, at creation and at delivery
 * @param allowedTargets      the internal targets (CIDR ranges, addresses, host names, {@code *.}suffixes) that may
 *                            be reached anyway, as written; each was checked when the configuration was bound
 * @param tls                 CA and client certificate files of webhook connections
 */
public record DeliveryConfig(boolean allowPrivateTargets, long connectTimeoutMs, long requestTimeoutMs,
                             int maxInFlight, int maxInFlightPerEndpoint, long historyRetentionHours,
                             boolean requireHttps, List<String> allowedTargets, DeliveryTlsConfig tls) {

  public static final boolean DEFAULT_ALLOW_PRIVATE_TARGETS = false;
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
  /** Four times {@link #DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT}: three hanging endpoints leave the others 64 slots. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;
  /** Enough to saturate a fast receiver on a 2-core machine's loopback (about 20k requests/s). */
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT = 64;
  /** Delivered and dead events (with their attempts) are kept this long, then pruned; pending ones never are. */
  public static final long DEFAULT_HISTORY_RETENTION_HOURS = 7 * 24;
  public static final boolean DEFAULT_REQUIRE_HTTPS = WebhookTargetPolicy.DEFAULT_REQUIRE_HTTPS;

  public DeliveryConfig {
    allowedTargets = List.copyOf(allowedTargets);
    Objects.requireNonNull(tls, "tls");
  }

  /** The given settings; https required, no allowed internal targets and no TLS files, as by default. */
  public DeliveryConfig(boolean allowPrivateTargets, long connectTimeoutMs, long requestTimeoutMs, int maxInFlight,
                        int maxInFlightPerEndpoint, long historyRetentionHours) {
    this(allowPrivateTargets, connectTimeoutMs, requestTimeoutMs, maxInFlight, maxInFlightPerEndpoint,
        historyRetentionHours, DEFAULT_REQUIRE_HTTPS, List.of(), DeliveryTlsConfig.none());
  }

  /** The given settings, the per-endpoint limit and the history retention at their defaults. */
  public DeliveryConfig(boolean allowPrivateTargets, long connectTimeoutMs, long requestTimeoutMs, int maxInFlight) {
    this(allowPrivateTargets, connectTimeoutMs, requestTimeoutMs, maxInFlight, DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT,
        DEFAULT_HISTORY_RETENTION_HOURS);
  }

  /** This configuration with other target rules ({@code require_https}, {@code allowed_targets}). */
  public DeliveryConfig withTargets(boolean requireHttps, List<String> allowedTargets) {
    return new DeliveryConfig(allowPrivateTargets, connectTimeoutMs, requestTimeoutMs, maxInFlight,
        maxInFlightPerEndpoint, historyRetentionHours, requireHttps, allowedTargets, tls);
  }

  /**
   * Where webhooks may go: {@code require_https} and {@code allowed_targets}, or everything internal under the
   * deprecated {@code allow_private_targets: true}. The one mapping used at creation (API, configured triggers) and
   * at delivery.
   *
   * @throws TargetAllowList.InvalidEntryException for an entry the binder did not check (records built in code)
   */
  public WebhookTargetPolicy targetPolicy() {
    return new WebhookTargetPolicy(requireHttps,
        allowPrivateTargets ? TargetAllowList.everything() : TargetAllowList.of(allowedTargets));
  }

  /**
   * The {@code delivery} section as written: each field left out takes its default, here and nowhere else; each
   * allowed target is checked here, so a bad one is named by its index.
   */
  @JsonCreator
  static DeliveryConfig fromFile(@JsonProperty("allow_private_targets") Boolean allowPrivateTargets,
                                 @JsonProperty("connect_timeout_ms") Long connectTimeoutMs,
                                 @JsonProperty("request_timeout_ms") Long requestTimeoutMs,
                                 @JsonProperty("max_in_flight") Integer maxInFlight,
                                 @JsonProperty("max_in_flight_per_endpoint") Integer maxInFlightPerEndpoint,
                                 @JsonProperty("history_retention_hours") Long historyRetentionHours,
                                 @JsonProperty("require_https") Boolean requireHttps,
                                 @JsonProperty("allowed_targets") @JsonDeserialize(using = TextListDeserializer.class)
                                 List<String> allowedTargets,
                                 @JsonProperty("tls") DeliveryTlsConfig tls) {
    List<String> targets = requireNonNullElse(allowedTargets, List.of());
    try {
      TargetAllowList.of(targets);
    } catch (TargetAllowList.InvalidEntryException e) {
      throw new InvalidFieldException("allowed_targets[" + e.index() + "]", e.getMessage());
    }
    return new DeliveryConfig(requireNonNullElse(allowPrivateTargets, DEFAULT_ALLOW_PRIVATE_TARGETS),
        requireNonNullElse(connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS),
        requireNonNullElse(requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS),
        requireNonNullElse(maxInFlight, DEFAULT_MAX_IN_FLIGHT),
        requireNonNullElse(maxInFlightPerEndpoint, DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT),
        requireNonNullElse(historyRetentionHours, DEFAULT_HISTORY_RETENTION_HOURS),
        requireNonNullElse(requireHttps, DEFAULT_REQUIRE_HTTPS), targets,
        requireNonNullElse(tls, DeliveryTlsConfig.none()));
  }

  /** What a file without a {@code delivery} section gives. */
  public static DeliveryConfig defaults() {
    return fromFile(null, null, null, null, null, null, null, null, null);
  }
}
