package io.tycostream.triggers.alert;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.config.AlertConfig;
import io.tycostream.triggers.definition.TriggerAlertName;
import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.delivery.BreakerState;
import io.tycostream.triggers.delivery.BreakerStates;
import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.SourceState;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.NewAlert;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoredEvent;
import io.tycostream.triggers.store.StoredTrigger;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises operational alerts for the configured alert endpoints (and, for the alerts about one trigger, for its
 * {@code alert_url}) and stores them in the alert outbox, from which
 * {@code delivery.AlertDeliveryVerticle} sends them:
 * <ul>
 *   <li>{@link AlertType#SOURCE_DISCONNECTED}: a source of this node is not connected for longer than an endpoint's
 *       grace period (once per outage and endpoint, {@link SourceOutages});</li>
 *   <li>{@link AlertType#SOURCE_RECONNECTED}: it is connected again, to the endpoints told of the outage;</li>
 *   <li>{@link AlertType#SOURCE_GAP}: a source's lost history was reconciled and committed;</li>
 *   <li>{@link AlertType#EVENT_DEAD_LETTERED}: a trigger event is dead, as the store says;</li>
 *   <li>{@link AlertType#TRIGGER_FAILING}: the circuit of a trigger's endpoint on this node opened (this node's
 *       breakers are looked at every {@value #BREAKER_POLL_MS} ms; once per opening);</li>
 *   <li>{@link AlertType#SOURCE_KEY_VIOLATION}: a source of this node reported several rows for one key (once per
 *       violation, identified by its key and time).</li>
 * </ul>
 * It listens to local bus publications ({@link BusAddresses#SOURCE_STATE_CHANGED},
 * {@link BusAddresses#SOURCE_GAP_RECONCILED}, {@link BusAddresses#EVENTS_DEAD_LETTERED}), so in a cluster only the
 * node that runs a source reports its outages and gaps, and only the node that dead-lettered an event reports it.
 * <p>
 * Delivery semantics: an alert is sent only after it is durable in the outbox; its deterministic id
 * ({@link AlertEventId}) makes raising it twice harmless. Outage tracking itself is in memory: an outage that spans
 * a restart of this node is tracked from the restart. A store failure while raising is retried a few times, then
 * logged and the alert dropped. An alert with nobody to tell (no configured endpoint, no {@code alert_url}) is not
 * stored. Deploy one instance per node, also without configured endpoints (any trigger may have an
 * {@code alert_url}).
 */
public final class AlertsVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AlertsVerticle.class);
  private static final int RAISE_ATTEMPTS = 5;
  private static final long RAISE_RETRY_MS = 1_000;
  static final long BREAKER_POLL_MS = 1_000;

  private final Store store;
  private final List<AlertConfig> endpoints;
  private final SourceOutages outages = new SourceOutages();
  /** The grace timers of each source's open outage. */
  private final Map<String, List<Long>> graceTimers = new HashMap<>();
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  /** The openings of each trigger's endpoint circuit already reported: trigger to the opening's time. */
  private final Map<String, Long> failingReported = new HashMap<>();
  private long breakerPoll = -1;

  public AlertsVerticle(Store store, List<AlertConfig> endpoints) {
    this.store = Objects.requireNonNull(store, "store");
    this.endpoints = List.copyOf(endpoints);
  }

  @Override
  public Future<?> start() {
    consumers.add(vertx.eventBus().localConsumer(BusAddresses.SOURCE_STATE_CHANGED,
        message -> onStateChanged(message.body())));
    consumers.add(vertx.eventBus().localConsumer(BusAddresses.SOURCE_GAP_RECONCILED,
        message -> onGap(message.body())));
    consumers.add(vertx.eventBus().localConsumer(BusAddresses.EVENTS_DEAD_LETTERED,
        message -> onDeadLetters(message.body())));
    breakerPoll = vertx.setPeriodic(BREAKER_POLL_MS, tick -> pollBreakers());
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .onSuccess(registered -> LOG.info("alerts started [endpoints: {}]",
            endpoints.stream().map(AlertConfig::name).toList()));
  }

  @Override
  public Future<?> stop() {
    if (breakerPoll != -1) {
      vertx.cancelTimer(breakerPoll);
    }
    graceTimers.values().forEach(timers -> timers.forEach(vertx::cancelTimer));
    graceTimers.clear();
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  private void onStateChanged(JsonObject change) {
    String source = change.getString("source");
    SourceState state = SourceState.valueOf(change.getString("state"));
    long now = System.currentTimeMillis();
    if (FailureKind.KEY_VIOLATION.name().equals(change.getString("failure_kind"))) {
      // the message names the key and the time: one alert per violation, however often the status is repeated
      String violation = change.getString("failure");
      raise(AlertType.SOURCE_KEY_VIOLATION, source, violation, new JsonObject().put("source", source)
          .put("message", violation), allEndpoints());
    }
    if (state == SourceState.CONNECTED || state == SourceState.STOPPED) {
      cancelGraceTimers(source);
      outages.ended(source).ifPresent(outage -> {
        if (state == SourceState.CONNECTED && !outage.reportedTo().isEmpty()) {
          raise(AlertType.SOURCE_RECONNECTED, source, Long.toString(outage.startedAtMs()),
              new JsonObject().put("source", source).put("disconnected_at", iso(outage.startedAtMs()))
                  .put("reconnected_at", iso(now)).put("outage_ms", now - outage.startedAtMs()),
              outage.reportedTo());
        }
      });
      return;
    }
    outages.stateChanged(source, state, change.getString("failure"), now).ifPresent(this::startGracePeriods);
  }

  private void startGracePeriods(SourceOutages.Outage outage) {
    List<Long> timers = graceTimers.computeIfAbsent(outage.source(), source -> new ArrayList<>());
    for (AlertConfig endpoint : endpoints) {
      timers.add(vertx.setTimer(endpoint.graceMs(), fired -> outages
          .graceEnded(outage.source(), outage.startedAtMs(), endpoint.name())
          .ifPresent(open -> raise(AlertType.SOURCE_DISCONNECTED, open.source(),
              Long.toString(open.startedAtMs()),
              new JsonObject().put("source", open.source()).put("disconnected_at", iso(open.startedAtMs()))
                  .put("grace_ms", endpoint.graceMs()).put("last_error", open.failure()),
              List.of(endpoint.name())))));
    }
  }

  private void cancelGraceTimers(String source) {
    List<Long> timers = graceTimers.remove(source);
    if (timers != null) {
      timers.forEach(vertx::cancelTimer);
    }
  }

  private void onGap(JsonObject gap) {
    String source = gap.getString("source");
    String frontier = gap.getString("frontier");
    raise(AlertType.SOURCE_GAP, source, frontier, new JsonObject().put("source", source)
        .put("checkpoint", gap.getString("checkpoint")).put("frontier", frontier)
        .put("reconcile_events", gap.getInteger("events")), allEndpoints());
  }

  private void onDeadLetters(JsonObject hint) {
    JsonArray ids = hint.getJsonArray("event_ids", new JsonArray());
    for (int i = 0; i < ids.size(); i++) {
      String eventId = ids.getString(i);
      // the outcome was fenced by its claim: only an event the store holds as dead is reported
      store.getEvent(eventId)
          .onSuccess(found -> found.filter(event -> event.status() == EventStatus.DEAD).ifPresent(this::raiseDead))
          .onFailure(failure -> LOG.warn("dead-lettered event not read, not alerted [event: {}, cause: {}]",
              eventId, failure.toString()));
    }
  }

  private void raiseDead(StoredEvent event) {
    recipientsOf(event.triggerName()).onSuccess(to -> raise(AlertType.EVENT_DEAD_LETTERED, event.eventId(),
        Integer.toString(event.attempts()), new JsonObject()
            .put("trigger_name", event.triggerName()).put("event_id", event.eventId())
            .put("event_type", event.eventType()).put("attempts", event.attempts())
            .put("last_error", event.lastError()), to));
  }

  /** Reports each trigger whose endpoint circuit on this node is open, once per opening. */
  private void pollBreakers() {
    BreakerStates.of(vertx).all().onSuccess(states -> {
      Set<String> open = new HashSet<>();
      for (BreakerState breaker : states) {
        if (!breaker.state().equals("open") || breaker.since() == null) {
          continue;
        }
        long since = breaker.since().toEpochMilli();
        for (String trigger : breaker.triggers()) {
          open.add(trigger);
          Long reported = failingReported.get(trigger);
          if (reported == null || reported != since) {
            failingReported.put(trigger, since);
            JsonObject data = new JsonObject()
                .put("trigger_name", trigger).put("endpoint", breaker.endpoint())
                .put("consecutive_failures", breaker.consecutiveFailures()).put("since", iso(since))
                .put("waiting", breaker.waiting());
            recipientsOf(trigger).onSuccess(to -> raise(AlertType.TRIGGER_FAILING, trigger, Long.toString(since),
                data, to));
          }
        }
      }
      // a closed circuit ends the opening: the next opening is reported again
      failingReported.keySet().retainAll(open);
    });
  }

  private List<String> allEndpoints() {
    return endpoints.stream().map(AlertConfig::name).toList();
  }

  /**
   * Who hears of an alert about {@code trigger}: the configured endpoints and, when the trigger has an
   * {@code alert_url} now, the trigger itself ({@link TriggerAlertName}). A trigger that cannot be read is left out
   * (logged): the configured endpoints still hear of it.
   */
  private Future<List<String>> recipientsOf(String trigger) {
    return store.getTrigger(trigger)
        .map(found -> {
          List<String> to = new ArrayList<>(allEndpoints());
          if (found.isPresent() && hasAlertUrl(found.get())) {
            to.add(TriggerAlertName.of(trigger));
          }
          return to;
        })
        .recover(failure -> {
          LOG.warn("trigger not read, its alert_url not alerted [trigger: {}, cause: {}]", trigger,
              failure.toString());
          return Future.succeededFuture(allEndpoints());
        });
  }

  private static boolean hasAlertUrl(StoredTrigger trigger) {
    try {
      return TriggerDefinitionParser.parse(trigger.definitionJson()).alertTarget() != null;
    } catch (RuntimeException unreadable) {
      // delivery reports an unreadable definition; the alert still goes to the configured endpoints
      return false;
    }
  }

  private void raise(AlertType type, String subject, String occasion, JsonObject data, Collection<String> to) {
    if (to.isEmpty()) {
      // no configured endpoint and no alert_url: nobody to tell
      return;
    }
    String eventId = AlertEventId.of(type, subject, occasion);
    long now = System.currentTimeMillis();
    List<NewAlert> alerts = to.stream()
        .map(endpoint -> new NewAlert(endpoint, eventId, type.name(), data.encode(), now)).toList();
    LOG.info("alert raised [type: {}, subject: {}, event: {}, endpoints: {}]", type, subject, eventId, to);
    store(alerts, 1);
  }

  private void store(List<NewAlert> alerts, int attempt) {
    store.alerts().insert(alerts)
        .onSuccess(stored -> vertx.eventBus().publish(BusAddresses.ALERTS_WAKE, null,
            new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true)))
        .onFailure(failure -> {
          if (attempt < RAISE_ATTEMPTS) {
            vertx.setTimer(RAISE_RETRY_MS * attempt, retry -> store(alerts, attempt + 1));
          } else {
            LOG.error("alert not stored, dropped [type: {}, event: {}, cause: {}]", alerts.get(0).eventType(),
                alerts.get(0).eventId(), failure.toString());
          }
        });
  }

  private static String iso(long epochMs) {
    return Instant.ofEpochMilli(epochMs).toString();
  }
}
