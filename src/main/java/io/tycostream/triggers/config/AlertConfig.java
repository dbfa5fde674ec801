package io.tycostream.triggers.config;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;
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

  /**
   * One entry of {@code alerts} as written, its secret already read (inline, or from the variable {@code secret_env}
   * names); {@code graceMs} is {@code null} when left out, for {@code alerts_grace_ms} to fill.
   */
  record Section(String name, String url, String secret, Long graceMs) {

    @JsonCreator
    static Section fromFile(@JsonProperty("name") String name, @JsonProperty("url") String url,
                            @JsonProperty("secret") String secret, @JsonProperty("secret_env") String secretEnv,
                            @JsonProperty("grace_ms") Long graceMs,
                            @JacksonInject(ConfigBinder.ENV) Map<String, String> env) {
      return new Section(name == null ? "" : name, url == null ? "" : url, secret(secret, secretEnv, env), graceMs);
    }

    private static String secret(String inline, String variable, Map<String, String> env) {
      if (inline != null && variable != null) {
        throw new InvalidFieldException("secret", "give either secret or secret_env, not both");
      }
      if (variable == null) {
        if (inline == null || inline.isBlank()) {
          throw new InvalidFieldException("secret", "is required (a whsec_ secret, or name a variable in secret_env)");
        }
        return inline.strip();
      }
      String value = env.get(variable);
      if (value == null || value.isBlank()) {
        throw new InvalidFieldException("secret_env", "environment variable '" + variable + "' is not set");
      }
      return value.strip();
    }

    /** This endpoint, its grace period {@code defaultGraceMs} unless it sets its own. */
    AlertConfig withGraceDefault(long defaultGraceMs) {
      return new AlertConfig(name, url, secret, graceMs == null ? defaultGraceMs : graceMs);
    }

    @Override
    public String toString() {
      return "AlertConfig.Section[name=" + name + ", url=" + url + "]";
    }
  }

  @Override
  public String toString() {
    // never the secret
    return "AlertConfig[name=" + name + ", url=" + url + ", graceMs=" + graceMs + "]";
  }
}
