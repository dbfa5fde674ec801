package io.tycostream.triggers.definition;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;

/**
 * A trigger's delivery rate limit ({@code rate_limit}): at most {@code burst} webhooks at once, refilled at
 * {@code perSecond} per second. Events beyond the rate wait (in the outbox, or briefly in delivery's memory); they
 * are never dropped, never counted as attempts, and keep their key's order. Immutable.
 *
 * @param perSecond the sustained rate, from {@value #MIN_PER_SECOND} to {@value #MAX_PER_SECOND} (decimals allowed)
 * @param burst     how many may go at once after a quiet spell, from 1 to {@value #MAX_BURST}
 */
public record RateLimit(BigDecimal perSecond, int burst) {

  /** One webhook per 1,000 s: slower than that is a paused trigger, not a rate. */
  public static final String MIN_PER_SECOND = "0.001";
  /** Far above what one endpoint lane sends; a limit above it limits nothing. */
  public static final int MAX_PER_SECOND = 100_000;
  public static final int MAX_BURST = 100_000;

  public RateLimit {
    if (perSecond == null || perSecond.compareTo(new BigDecimal(MIN_PER_SECOND)) < 0
        || perSecond.compareTo(BigDecimal.valueOf(MAX_PER_SECOND)) > 0) {
      throw new IllegalArgumentException("perSecond must be from " + MIN_PER_SECOND + " to " + MAX_PER_SECOND
          + ": " + perSecond);
    }
    if (burst < 1 || burst > MAX_BURST) {
      throw new IllegalArgumentException("burst must be from 1 to " + MAX_BURST + ": " + burst);
    }
    perSecond = perSecond.stripTrailingZeros();
  }

  /** The default burst of a rate: one second's worth, at least 1 ({@code max(1, ceil(perSecond))}). */
  public static int defaultBurst(BigDecimal perSecond) {
    return Math.max(1, perSecond.setScale(0, java.math.RoundingMode.CEILING).intValueExact());
  }

  /** The rate as a double, for the token bucket. */
  public double perSecondValue() {
    return perSecond.doubleValue();
  }

  /** {@code {"per_second": 50, "burst": 100}}, the field as stored and shown. */
  public JsonObject toJson() {
    BigDecimal rate = perSecond.scale() <= 0 ? perSecond.setScale(0) : perSecond;
    Number shown = rate.scale() == 0 ? (Number) rate.longValueExact() : rate;
    return new JsonObject().put(DeliveryFlowParser.PER_SECOND, shown).put(DeliveryFlowParser.BURST, burst);
  }
}
