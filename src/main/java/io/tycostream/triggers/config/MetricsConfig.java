package io.tycostream.triggers.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import static java.util.Objects.requireNonNullElse;

/**
 * The Prometheus endpoint ({@code metrics}): {@code GET /metrics} on the admin port, in the Prometheus text format.
 * Each node of a cluster serves its own. Immutable; checked by {@link ConfigValidator}.
 *
 * @param enabled         whether {@code /metrics} is served and meters are recorded ({@code metrics.enabled})
 * @param requireAuth     whether a scrape must present an API key ({@code Authorization: Bearer}, role read or
 *                        more) like {@code /api/v1}; off by default, like {@code /health}: the admin server binds
 *                        loopback by default, and a metric carries trigger and source names, never secrets or
 *                        event data ({@code metrics.require_auth})
 * @param storeSampleMs   how often the per-trigger levels only the store knows (matched keys, pending and dead
 *                        events) are read; the gauges are as old as this at most plus one read
 *                        ({@code metrics.store_sample_ms})
 */
public record MetricsConfig(boolean enabled, boolean requireAuth, long storeSampleMs) {

  public static final boolean DEFAULT_ENABLED = true;
  public static final boolean DEFAULT_REQUIRE_AUTH = false;
  public static final long DEFAULT_STORE_SAMPLE_MS = 5_000;
  /** Below this the sampler would read the store more often than a scrape interval makes useful. */
  public static final long MIN_STORE_SAMPLE_MS = 500;

  /** The {@code metrics} section as written: each field left out takes its default, here and nowhere else. */
  @JsonCreator
  static MetricsConfig fromFile(@JsonProperty("enabled") Boolean enabled,
                                @JsonProperty("require_auth") Boolean requireAuth,
                                @JsonProperty("store_sample_ms") Long storeSampleMs) {
    return new MetricsConfig(requireNonNullElse(enabled, DEFAULT_ENABLED),
        requireNonNullElse(requireAuth, DEFAULT_REQUIRE_AUTH),
        requireNonNullElse(storeSampleMs, DEFAULT_STORE_SAMPLE_MS));
  }

  /** What a file without a {@code metrics} section gives. */
  public static MetricsConfig defaults() {
    return fromFile(null, null, null);
  }
}
