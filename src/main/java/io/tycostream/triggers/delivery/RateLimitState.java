package io.tycostream.triggers.delivery;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * The rate limiter of one trigger on one node, as operators see it. Immutable.
 *
 * @param trigger   the trigger
 * @param perSecond its rate
 * @param burst     its burst
 * @param waiting   claimed events waiting for a token on this node (the rest of the backlog is in the outbox, counted
 *                  by the trigger's {@code pending})
 * @param tokens    tokens in the bucket now (whole tokens are webhooks that may go at once)
 */
public record RateLimitState(String trigger, BigDecimal perSecond, int burst, int waiting, double tokens) {

  public RateLimitState {
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(perSecond, "perSecond");
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("trigger", trigger)
        .put("per_second", perSecond)
        .put("burst", burst)
        .put("waiting", waiting)
        .put("tokens", tokens);
  }

  public static RateLimitState fromJson(JsonObject json) {
    Object rate = json.getValue("per_second");
    return new RateLimitState(json.getString("trigger"), new BigDecimal(String.valueOf(rate)),
        json.getInteger("burst", 1), json.getInteger("waiting", 0), json.getDouble("tokens", 0.0));
  }
}
