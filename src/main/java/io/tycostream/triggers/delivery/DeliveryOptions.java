package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.RetryDefaults;
import io.tycostream.triggers.definition.TargetAllowList;
import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the {@link DeliveryVerticle}; every default is a named constant. Mutable until handed to the verticle,
 * which copies nothing and never changes it: build one, {@link #validate()} it (the verticle does), then leave it
 * alone. Not thread-safe while being built.
 */
public final class DeliveryOptions {

  /** Time allowed to open a TCP (and TLS) connection to a webhook endpoint. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** Time allowed for the endpoint to answer once connected; a slower answer is a failed attempt. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /**
   * Requests in flight at once over all endpoints. Four times {@link #DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT}, so slow or
   * hanging endpoints cannot take the slots of the others.
   */
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;
  /**
   * Requests in flight at once to one webhook URL. 64 concurrent requests saturate a fast receiver on the loopback
   * of a 2-core machine (about 20k requests/s), so a single healthy endpoint is never held back by this limit; a slow
   * one holds at most this many of the shared slots.
   */
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT = 64;
  /** Most events leased by one claim; delivery keeps about twice {@code maxInFlight} claimed ahead of demand. */
  public static final int DEFAULT_CLAIM_BATCH = 128;
  /**
   * Longest time an attempt's outcome waits to be written: outcomes are recorded in one transaction per this
   * interval or per {@link #DEFAULT_OUTCOME_BATCH} outcomes, whichever comes first. It bounds what a crash re-sends
   * beyond the requests in flight.
   */
  public static final Duration DEFAULT_OUTCOME_FLUSH_INTERVAL = Duration.ofMillis(5);
  /** Most outcomes recorded in one transaction. */
  public static final int DEFAULT_OUTCOME_BATCH = 512;
  /** How long a webhook host's checked addresses are reused before the name is resolved again. */
  public static final Duration DEFAULT_RESOLUTION_TTL = Duration.ofSeconds(30);
  /**
   * How long a claim holds an event. Longer than a whole attempt (connect + request), so a healthy node always
   * records its outcome first. A restarted node does not wait for it (it releases its previous life's claims at
   * once); the lease is what frees the claims of a node that never comes back.
   */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);
  /** Longest wait between two looks at the outbox when no wake-up arrives (a lost wake-up only delays this long). */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  /** Delivered and dead events older than this are pruned with their attempts; pending events never are. */
  public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(7);
  /** Consecutive failed attempts to one webhook URL that open its circuit. */
  public static final int DEFAULT_BREAKER_MAX_FAILURES = 5;
  /** How long an open circuit stays open before one probe request is let through. */
  public static final Duration DEFAULT_BREAKER_RESET_TIMEOUT = Duration.ofSeconds(30);
  /**
   * How long a stop waits for attempts in flight to be answered and recorded before it abandons the rest (they are
   * re-sent right after a restart, see {@link DeliveryVerticle}). Well inside the application's 30 s shutdown bound.
   */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(5);

  private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
  private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
  private int maxInFlightPerEndpoint = DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT;
  private int claimBatch = DEFAULT_CLAIM_BATCH;
  private Duration outcomeFlushInterval = DEFAULT_OUTCOME_FLUSH_INTERVAL;
  private int outcomeBatch = DEFAULT_OUTCOME_BATCH;
  private Duration resolutionTtl = DEFAULT_RESOLUTION_TTL;
  private Duration lease = DEFAULT_LEASE;
  private Duration pollInterval = DEFAULT_POLL_INTERVAL;
  private Duration historyRetention = DEFAULT_HISTORY_RETENTION;
  private RetryPolicy retryPolicy = RetryPolicy.defaults();
  private int breakerMaxFailures = DEFAULT_BREAKER_MAX_FAILURES;
  private Duration breakerResetTimeout = DEFAULT_BREAKER_RESET_TIMEOUT;
  private boolean requireHttps = WebhookTargetPolicy.DEFAULT_REQUIRE_HTTPS;
  private TargetAllowList allowedTargets = TargetAllowList.none();
  private TrustOptions trust;
  private KeyCertOptions clientCertificate;
  private Map<String, KeyCertOptions> namedClientCertificates = Map.of();
  private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
  private String clusterClaimer;

  /**
   * Checks the settings together.
   *
   * @return this
   * @throws IllegalArgumentException naming the setting that is out of range
   */
  public DeliveryOptions validate() {
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(requestTimeout, "requestTimeout");
    requirePositive(lease, "lease");
    requirePositive(pollInterval, "pollInterval");
    requirePositive(breakerResetTimeout, "breakerResetTimeout");
    requirePositive(outcomeFlushInterval, "outcomeFlushInterval");
    if (resolutionTtl.isNegative()) {
      throw new IllegalArgumentException("resolutionTtl must not be negative, was " + resolutionTtl);
    }
    if (drainTimeout.isNegative()) {
      throw new IllegalArgumentException("drainTimeout must not be negative, was " + drainTimeout);
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
    }
    if (maxInFlightPerEndpoint < 1) {
      throw new IllegalArgumentException("maxInFlightPerEndpoint must be at least 1, was " + maxInFlightPerEndpoint);
    }
    if (outcomeBatch < 1) {
      throw new IllegalArgumentException("outcomeBatch must be at least 1, was " + outcomeBatch);
    }
    if (claimBatch < 1) {
      throw new IllegalArgumentException("claimBatch must be at least 1, was " + claimBatch);
    }
    if (breakerMaxFailures < 1) {
      throw new IllegalArgumentException("breakerMaxFailures must be at least 1, was " + breakerMaxFailures);
    }
    // the lease must outlive a whole attempt, or a slow but healthy attempt would be claimed and sent twice
    Duration attempt = connectTimeout.plus(requestTimeout);
    if (lease.compareTo(attempt) <= 0) {
      throw new IllegalArgumentException("lease must exceed connectTimeout + requestTimeout (" + attempt
          + "), was " + lease);
    }
    return this;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public DeliveryOptions setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    return this;
  }

  public Duration getRequestTimeout() {
    return requestTimeout;
  }

  public DeliveryOptions setRequestTimeout(Duration requestTimeout) {
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    return this;
  }

  public int getMaxInFlight() {
    return maxInFlight;
  }

  public DeliveryOptions setMaxInFlight(int maxInFlight) {
    this.maxInFlight = maxInFlight;
    return this;
  }

  /** The limit per webhook URL in effect: the one set, but never more than {@code maxInFlight}. */
  public int getMaxInFlightPerEndpoint() {
    return Math.min(maxInFlightPerEndpoint, maxInFlight);
  }

  /** See {@link #DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT}; a value above {@code maxInFlight} acts as {@code maxInFlight}. */
  public DeliveryOptions setMaxInFlightPerEndpoint(int maxInFlightPerEndpoint) {
    this.maxInFlightPerEndpoint = maxInFlightPerEndpoint;
    return this;
  }

  public Duration getOutcomeFlushInterval() {
    return outcomeFlushInterval;
  }

  public DeliveryOptions setOutcomeFlushInterval(Duration outcomeFlushInterval) {
    this.outcomeFlushInterval = Objects.requireNonNull(outcomeFlushInterval, "outcomeFlushInterval");
    return this;
  }

  public int getOutcomeBatch() {
    return outcomeBatch;
  }

  public DeliveryOptions setOutcomeBatch(int outcomeBatch) {
    this.outcomeBatch = outcomeBatch;
    return this;
  }

  public Duration getResolutionTtl() {
    return resolutionTtl;
  }

  /** See {@link #DEFAULT_RESOLUTION_TTL}; zero resolves the host again for every attempt. */
  public DeliveryOptions setResolutionTtl(Duration resolutionTtl) {
    this.resolutionTtl = Objects.requireNonNull(resolutionTtl, "resolutionTtl");
    return this;
  }

  public int getClaimBatch() {
    return claimBatch;
  }

  public DeliveryOptions setClaimBatch(int claimBatch) {
    this.claimBatch = claimBatch;
    return this;
  }

  public Duration getLease() {
    return lease;
  }

  public DeliveryOptions setLease(Duration lease) {
    this.lease = Objects.requireNonNull(lease, "lease");
    return this;
  }

  public Duration getHistoryRetention() {
    return historyRetention;
  }

  public DeliveryOptions setHistoryRetention(Duration historyRetention) {
    this.historyRetention = Objects.requireNonNull(historyRetention, "historyRetention");
    return this;
  }

  public Duration getPollInterval() {
    return pollInterval;
  }

  public DeliveryOptions setPollInterval(Duration pollInterval) {
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    return this;
  }

  public RetryPolicy getRetryPolicy() {
    return retryPolicy;
  }

  public DeliveryOptions setRetryPolicy(RetryPolicy retryPolicy) {
    this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    return this;
  }

  /**
   * What a trigger's own {@code retry} and {@code timeout} fall back to (#11): the parameters of
   * {@link #getRetryPolicy()} when it is an {@link ExponentialBackoff} (else the {@code RetryPolicy.DEFAULT_*} ones),
   * the request timeout and the history retention.
   */
  public RetryDefaults retryDefaults() {
    RetryDefaults standard = RetryDefaults.STANDARD;
    if (retryPolicy instanceof ExponentialBackoff backoff) {
      return new RetryDefaults(backoff.initialDelay(), backoff.multiplier(), backoff.maxDelay(),
          backoff.maxAttempts(), backoff.jitter(), requestTimeout, historyRetention);
    }
    return new RetryDefaults(standard.initialDelay(), standard.multiplier(), standard.maxDelay(),
        standard.maxAttempts(), standard.jitter(), requestTimeout, historyRetention);
  }

  public int getBreakerMaxFailures() {
    return breakerMaxFailures;
  }

  public DeliveryOptions setBreakerMaxFailures(int breakerMaxFailures) {
    this.breakerMaxFailures = breakerMaxFailures;
    return this;
  }

  public Duration getBreakerResetTimeout() {
    return breakerResetTimeout;
  }

  public DeliveryOptions setBreakerResetTimeout(Duration breakerResetTimeout) {
    this.breakerResetTimeout = Objects.requireNonNull(breakerResetTimeout, "breakerResetTimeout");
    return this;
  }

  /** The node id this node's claims carry in a cluster, or {@code null} on a single node. */
  public String getClusterClaimer() {
    return clusterClaimer;
  }

  /**
   * Runs delivery as one member of a cluster: claims carry {@code nodeId} (so the other members can release them
   * when this node leaves), and a start does not release the claims of other claimers, which may be live nodes.
   * {@code null} (the default): a single node, a random incarnation id per start, and the claims of every other
   * incarnation released at start.
   */
  public DeliveryOptions setClusterClaimer(String nodeId) {
    this.clusterClaimer = nodeId;
    return this;
  }

  /** Whether an attempt to an {@code http://} URL fails without connecting ({@code delivery.require_https}). */
  public boolean isRequireHttps() {
    return requireHttps;
  }

  /** See {@link #isRequireHttps()}; {@link WebhookTargetPolicy#DEFAULT_REQUIRE_HTTPS} by default. */
  public DeliveryOptions setRequireHttps(boolean requireHttps) {
    this.requireHttps = requireHttps;
    return this;
  }

  /** The internal addresses and names a connection may go to anyway; none by default (SSRF defence). */
  public TargetAllowList getAllowedTargets() {
    return allowedTargets;
  }

  public DeliveryOptions setAllowedTargets(TargetAllowList allowedTargets) {
    this.allowedTargets = Objects.requireNonNull(allowedTargets, "allowedTargets");
    return this;
  }

  /** Shorthand: every internal target allowed ({@code true}) or none ({@code false}). */
  public DeliveryOptions setAllowPrivateTargets(boolean allowPrivateTargets) {
    return setAllowedTargets(allowPrivateTargets ? TargetAllowList.everything() : TargetAllowList.none());
  }

  /** The trust store of webhook connections, or {@code null} for the JVM's default (always verified). */
  public TrustOptions getTrust() {
    return trust;
  }

  /** See {@link #getTrust()}; {@link WebhookTlsFiles#trustWithExtraCas} adds a CA file to the JVM's CAs. */
  public DeliveryOptions setTrust(TrustOptions trust) {
    this.trust = trust;
    return this;
  }

  /** The client certificate presented to receivers asking for one (mTLS), or {@code null} for none. */
  public KeyCertOptions getClientCertificate() {
    return clientCertificate;
  }

  public DeliveryOptions setClientCertificate(KeyCertOptions clientCertificate) {
    this.clientCertificate = clientCertificate;
    return this;
  }

  /**
   * The named client certificates ({@code delivery.tls.client_certificates}) a trigger presents instead of
   * {@link #getClientCertificate()} when its {@code webhook.client_certificate} names one; in configuration order.
   */
  public Map<String, KeyCertOptions> getNamedClientCertificates() {
    return namedClientCertificates;
  }

  public DeliveryOptions setNamedClientCertificates(Map<String, KeyCertOptions> certificates) {
    this.namedClientCertificates = Collections.unmodifiableMap(new LinkedHashMap<>(
        Objects.requireNonNull(certificates, "certificates")));
    return this;
  }

  public Duration getDrainTimeout() {
    return drainTimeout;
  }

  /** See {@link #DEFAULT_DRAIN_TIMEOUT}; zero abandons attempts in flight at once. */
  public DeliveryOptions setDrainTimeout(Duration drainTimeout) {
    this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
    return this;
  }

  private static void requirePositive(Duration value, String name) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
