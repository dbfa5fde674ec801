package io.tycostream.triggers.definition;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Reads a trigger's expiry: {@code expires_at} (an RFC 3339 instant such as {@code "2026-12-31T23:00:00Z"}) or
 * {@code ttl} (a duration, turned into {@code expires_at} when the definition is read, i.e. at creation or
 * {@code PATCH}). Only {@code expires_at} is stored and shown, at millisecond precision in one fixed form
 * ({@link #format}). A {@code ttl} runs from 1 s to {@value #MAX_TTL_DAYS} days. Stateless.
 */
public final class ExpiryParser {

  public static final String EXPIRES_AT = "expires_at";
  public static final String TTL = "ttl";
  static final long MAX_TTL_DAYS = 3_660;
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private ExpiryParser() {
  }

  /** The instant the definition expires at, or {@code null} when it does not expire. */
  static Instant expiresAt(JsonNode node, Clock clock) {
    JsonNode at = node.get(EXPIRES_AT);
    JsonNode ttl = node.get(TTL);
    boolean hasAt = at != null && !at.isNull();
    boolean hasTtl = ttl != null && !ttl.isNull();
    if (hasAt && hasTtl) {
      throw RetrySpecParser.invalid(TTL, "and expires_at are two ways to say the same: give one");
    }
    if (hasTtl) {
      Duration lifetime = RetrySpecParser.duration(ttl, TTL, Duration.ofSeconds(1), Duration.ofDays(MAX_TTL_DAYS));
      return clock.instant().plus(lifetime).truncatedTo(ChronoUnit.MILLIS);
    }
    if (!hasAt) {
      return null;
    }
    if (at.isTextual()) {
      try {
        return OffsetDateTime.parse(at.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
            .truncatedTo(ChronoUnit.MILLIS);
      } catch (DateTimeParseException malformed) {
        // reported below
      }
    }
    throw RetrySpecParser.invalid(EXPIRES_AT, "expected an RFC 3339 instant like \"2026-12-31T23:00:00Z\"");
  }

  /** The stored and shown form: UTC, milliseconds, {@code 2026-12-31T23:00:00.000Z} (text order is time order). */
  public static String format(Instant instant) {
    return FORMAT.format(instant);
  }
}
