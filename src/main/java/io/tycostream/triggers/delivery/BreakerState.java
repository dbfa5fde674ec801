package io.tycostream.triggers.delivery;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The circuit breaker of one webhook endpoint on one node, as operators see it. An endpoint without a state is closed
 * and has no failures counted. Immutable.
 *
 * @param endpoint            {@code scheme://host:port} (the path and query may carry credentials, so they are left out)
 * @param triggers            the triggers whose events went to this endpoint
 * @param state               {@code closed}, {@code open} or {@code half_open}
 * @param consecutiveFailures failures counted while closed
 * @param since               when the circuit last opened or went half-open; {@code null} while closed
 * @param probeAt             while open, when the probe may go; otherwise {@code null}
 * @param waiting             events held in the lane, waiting for a slot or for the probe's answer
 * @param inFlight            requests in flight
 */
public record BreakerState(String endpoint, Set<String> triggers, String state, int consecutiveFailures,
                           Instant since, Instant probeAt, int waiting, int inFlight) {

  public BreakerState {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(state, "state");
    triggers = Set.copyOf(triggers);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("endpoint", endpoint)
        .put("triggers", new JsonArray(List.copyOf(new TreeSet<>(triggers))))
        .put("state", state)
        .put("consecutive_failures", consecutiveFailures)
        .put("waiting", waiting)
        .put("in_flight", inFlight);
    if (since != null) {
      json.put("since", since.toString());
    }
    if (probeAt != null) {
      json.put("probe_at", probeAt.toString());
    }
    return json;
  }

  public static BreakerState fromJson(JsonObject json) {
    List<String> names = new ArrayList<>();
    json.getJsonArray("triggers", new JsonArray()).forEach(name -> names.add(String.valueOf(name)));
    return new BreakerState(json.getString("endpoint"), Set.copyOf(names), json.getString("state"),
        json.getInteger("consecutive_failures", 0), instant(json.getString("since")),
        instant(json.getString("probe_at")), json.getInteger("waiting", 0), json.getInteger("in_flight", 0));
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
