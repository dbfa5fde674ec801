package io.tycostream.triggers.config;

import java.util.Objects;

/**
 * One endpoint that receives operational alerts ({@code alerts:} in the configuration): source outages, source
 * gaps and dead-lettered events, as signed Standard Webhooks. Immutable; checked by {@link ConfigValidator}.
 *
 * @param name    unique name of the endpoint, in logs and in the alert outbox
 * @param url     where alerts are POSTed; subject to {@code delivery.require_https} and {@code allowed_targets} like
 *                every trigger webhook
 * @param secret  the signing secret in Standard Webhooks form ({@code whsec_…}), from {@code secret},
 *                {@code secret_env} or {@code TYCOSTREAM_ALERTS__<i>__SECRET}
 * @param graceMs how long a source may be disconnected before {@code SOURCE_DISCONNECTED} is sent to this endpoint
 */
public record AlertConfig(String name, String url, String secret, long graceMs) {

  /** A source not connected for this long is reported; shorter outages are ordinary reconnects. */
  public static final long DEFAULT_GRACE_MS = 30_000;

  public AlertConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(secret, "secret");
  }

  @Override
  public String toString() {
    // never the secret
    return "AlertConfig[name=" + name + ", url=" + url + ", graceMs=" + graceMs + "]";
  }
}
