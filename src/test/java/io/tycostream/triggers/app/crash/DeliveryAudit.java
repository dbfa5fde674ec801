package io.tycostream.triggers.app.crash;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.tycostream.triggers.testkit.StandardWebhooksVerifier;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares what a receiver got with what the reference model expects, the way a receiver that deduplicates on
 * {@code event_id} would: which expected ids never arrived, which arrived without being expected, which deliveries
 * carry a body that differs from the expected event, and which signatures fail under the trigger's secret.
 * Numbers are compared by value ({@code 95.50} equals {@code 95.5}). Pure; not thread-safe.
 */
public final class DeliveryAudit {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final Set<String> ROW_FIELDS = Set.of("id", "qty", "price", "active");

  private final Set<String> missing = new TreeSet<>();
  private final Set<String> unexpected = new TreeSet<>();
  private final List<String> wrongBodies = new ArrayList<>();
  private final List<String> badSignatures = new ArrayList<>();
  private final Map<String, Instant> firstArrival = new HashMap<>();
  private final Map<String, Instant> secondArrival = new HashMap<>();
  private Duration shortestRedelivery;
  private final int deliveries;
  private final int distinct;

  /**
   * @param expected the model's events by id
   * @param secrets  each trigger's {@code whsec_…} secret by trigger name
   * @param received every 2xx-answered delivery, duplicates included
   */
  public DeliveryAudit(Map<String, ExpectedEvent> expected, Map<String, String> secrets,
                       List<ReceivedWebhook> received) {
    Set<String> seen = new LinkedHashSet<>();
    for (ReceivedWebhook webhook : received) {
      check(expected, secrets, webhook, seen);
    }
    expected.forEach((id, event) -> {
      if (!seen.contains(id)) {
        missing.add(id + " " + event);
      }
    });
    deliveries = received.size();
    distinct = seen.size();
  }

  private void check(Map<String, ExpectedEvent> expected, Map<String, String> secrets, ReceivedWebhook webhook,
                     Set<String> seen) {
    JsonNode body;
    try {
      body = JSON.readTree(webhook.body().getBytes());
    } catch (IOException e) {
      wrongBodies.add(webhook.webhookId() + ": not JSON: " + e.getMessage());
      return;
    }
    String eventId = body.path("event_id").asText(null);
    seen.add(eventId);
    Instant first = firstArrival.putIfAbsent(eventId, webhook.receivedAt());
    if (first != null) {
      secondArrival.putIfAbsent(eventId, webhook.receivedAt());
      Duration gap = Duration.between(first, webhook.receivedAt());
      shortestRedelivery = shortestRedelivery == null || gap.compareTo(shortestRedelivery) < 0 ? gap
          : shortestRedelivery;
    }
    ExpectedEvent event = expected.get(eventId);
    if (event == null) {
      unexpected.add(eventId + " " + body);
      return;
    }
    List<String> problems = new ArrayList<>();
    compare(problems, "webhook-id header", event.eventId(), webhook.webhookId());
    compare(problems, "event_type", event.eventType(), body.path("event_type").asText(null));
    compare(problems, "trigger_name", event.trigger(), body.path("trigger_name").asText(null));
    compare(problems, "source_timestamp", Long.toString(event.mzTimestamp()),
        body.path("source_timestamp").asText(null));
    if (!body.path("timestamp").isTextual()) {
      problems.add("timestamp missing");
    }
    if (!rowEquals(event.row(), body.path("data"))) {
      problems.add("data: expected " + event.row() + ", got " + body.path("data"));
    }
    if (!problems.isEmpty()) {
      wrongBodies.add(eventId + ": " + String.join("; ", problems));
    }
    if (!StandardWebhooksVerifier.verifies(secrets.get(event.trigger()), webhook)) {
      badSignatures.add(eventId + " (" + event.trigger() + ")");
    }
  }

  private static void compare(List<String> problems, String field, String expected, String actual) {
    if (!expected.equals(actual)) {
      problems.add(field + ": expected " + expected + ", got " + actual);
    }
  }

  private static boolean rowEquals(PositionRow row, JsonNode data) {
    Set<String> fields = new HashSet<>();
    data.fieldNames().forEachRemaining(fields::add);
    return fields.equals(ROW_FIELDS)
        && data.get("id").isIntegralNumber() && data.get("id").asLong() == row.id()
        && data.get("qty").isIntegralNumber() && data.get("qty").asLong() == row.qty()
        && data.get("price").isNumber() && data.get("price").decimalValue().compareTo(row.price()) == 0
        && data.get("active").isBoolean() && data.get("active").asBoolean() == row.active();
  }

  /** Expected events that no delivery carried, each as its id and the expected event. */
  public Set<String> missing() {
    return missing;
  }

  /** Delivered ids the model does not expect, each with its body. */
  public Set<String> unexpected() {
    return unexpected;
  }

  /** Deliveries of expected ids whose headers or body differ from the expected event. */
  public List<String> wrongBodies() {
    return wrongBodies;
  }

  /** Deliveries whose signature does not verify under their trigger's secret. */
  public List<String> badSignatures() {
    return badSignatures;
  }

  /** Every delivery, duplicates included. */
  public int deliveries() {
    return deliveries;
  }

  /** Distinct event ids delivered. */
  public int distinct() {
    return distinct;
  }

  /** The shortest time between the first and a later delivery of one id, or {@code null} without duplicates. */
  public Duration shortestRedelivery() {
    return shortestRedelivery;
  }

  /**
   * How long after a restart the latest re-send of an event came: for each event delivered twice, the time from the
   * start of the first life that began after its first delivery to its second delivery. A re-send that comes before
   * that start (a retry within one life) is not counted.
   *
   * @param starts when each life of the service was started, in order
   * @return the longest such delay, or {@code null} when no event was re-sent after a restart
   */
  public Duration latestResendAfterRestart(List<Instant> starts) {
    Duration latest = null;
    for (Map.Entry<String, Instant> second : secondArrival.entrySet()) {
      Instant first = firstArrival.get(second.getKey());
      Instant restart = starts.stream().filter(start -> start.isAfter(first)).findFirst().orElse(null);
      if (restart != null && !second.getValue().isBefore(restart)) {
        Duration delay = Duration.between(restart, second.getValue());
        latest = latest == null || delay.compareTo(latest) > 0 ? delay : latest;
      }
    }
    return latest;
  }

  /**
   * Events re-sent after a restart although they had been answered well before it: for each event delivered twice,
   * the first life that began after its first delivery is the restart that re-sent it, and the kill came just before
   * that start. An event answered less than {@code answeredBefore} before it may have been in flight, or its outcome
   * not yet written (outcomes are written in batches a few milliseconds apart); one answered earlier shows the
   * delivered record lagging behind the answers.
   *
   * @param starts when each life of the service was started, in order
   */
  public int resentLongAfterTheirAnswer(List<Instant> starts, Duration answeredBefore) {
    int late = 0;
    for (Map.Entry<String, Instant> second : secondArrival.entrySet()) {
      Instant first = firstArrival.get(second.getKey());
      Instant restart = starts.stream().filter(start -> start.isAfter(first)).findFirst().orElse(null);
      if (restart != null && !second.getValue().isBefore(restart)
          && Duration.between(first, restart).compareTo(answeredBefore) > 0) {
        late++;
      }
    }
    return late;
  }

  /** Deliveries beyond the first of each id (at-least-once allows them). */
  public int duplicates() {
    return deliveries - distinct;
  }
}
