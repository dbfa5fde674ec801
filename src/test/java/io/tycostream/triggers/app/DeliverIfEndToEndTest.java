package io.tycostream.triggers.app;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.testkit.DocumentedEventId;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static io.tycostream.triggers.testkit.Blocking.pause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies {@code deliver_if} (#11 item 9) the way a user sees it: two Materialize views (the wire emulator) as two
 * configured sources, {@code scores} and {@code market_hours}, a trigger on {@code scores} gated on the
 * {@code NYSE} row of {@code market_hours}, and a real receiver. While the market is closed FIREs are recorded as
 * {@code suppressed} with reason {@code deliver_if} and so are their CLEARs; while it is open they are delivered; a
 * delivered FIRE's CLEAR is delivered even once the market closed. A control trigger on {@code market_hours} shows
 * when the market's change was committed.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliverIfEndToEndTest {

  private static final String MARKET = "market_hours";

  @TempDir
  Path dataDir;

  private EmulatedService service;
  private MaterializeEmulator emulator;
  private WebhookReceiver receiver;

  @BeforeEach
  void setUp(Vertx vertx) {
    service = EmulatedService.start(vertx, dataDir,
        Map.of(MARKET, new EmulatorColumn[] {EmulatorColumn.of("exchange", PgType.TEXT),
            EmulatorColumn.of("open", PgType.BOOL)}),
        EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("score", PgType.INT4));
    emulator = service.emulator;
    receiver = service.receiver;
  }

  @AfterEach
  void tearDown() {
    service.close();
  }

  /** Verifies gating by the other source's current row, the pairing of CLEARs with their FIREs, and the reasons. */
  @Test
  void firesAreDeliveredOnlyWhileTheOtherSourcesRowHolds() {
    // GIVEN a closed market, a trigger gated on it being open, and a control trigger that fires when it opens
    emulator.insert(MARKET, "NYSE", false);
    assertThat(service.createWhenSourceReady(gated("gated")).statusCode()).isEqualTo(201);
    assertThat(service.createWhenSourceReady(control()).statusCode()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/gated").getString("status"))
        && "active".equals(service.get("/api/v1/triggers/market_open").getString("status")));
    assertThat(service.get("/api/v1/triggers/gated").getJsonObject("deliver_if").getString("source"))
        .isEqualTo(MARKET);

    // WHEN a key fires and clears while the market is closed
    long closedFire = emulator.insert(EmulatedService.SOURCE, 1, 150);
    long closedClear = emulator.update(EmulatedService.SOURCE, new Object[] {1, 150}, new Object[] {1, 50});
    // THEN both are recorded as suppressed by deliver_if, and nothing is sent
    awaitTrue(() -> suppressed("gated").size() == 2);
    assertThat(suppressed("gated")).containsOnly(
        Map.entry(DocumentedEventId.of("gated", "[1]", closedFire), "deliver_if"),
        Map.entry(DocumentedEventId.of("gated", "[1]", closedClear), "deliver_if"));

    // WHEN a key fires while closed (suppressed), the market opens (the control trigger's FIRE shows it committed),
    // and then that key clears, another key fires, and the market closes again before the latter clears
    long stillOpenFire = emulator.insert(EmulatedService.SOURCE, 3, 400);
    awaitTrue(() -> suppressed("gated").size() == 3);
    emulator.update(MARKET, new Object[] {"NYSE", false}, new Object[] {"NYSE", true});
    awaitTrue(() -> received("market_open").size() == 1);
    pause(200);
    long pairedClear = emulator.update(EmulatedService.SOURCE, new Object[] {3, 400}, new Object[] {3, 1});
    long openFire = emulator.insert(EmulatedService.SOURCE, 2, 200);
    awaitTrue(() -> received("gated").size() == 1);
    emulator.update(MARKET, new Object[] {"NYSE", true}, new Object[] {"NYSE", false});
    awaitTrue(() -> received("market_open").size() == 2);
    pause(200);
    long closedAfterFire = emulator.update(EmulatedService.SOURCE, new Object[] {2, 200}, new Object[] {2, 10});

    // THEN the FIRE while open and its CLEAR (though the market closed meanwhile) are delivered; the CLEAR of the
    // match whose FIRE was suppressed is suppressed too, though the market was open
    awaitTrue(() -> received("gated").size() >= 2);
    pause(1_000);
    assertThat(received("gated")).extracting(ReceivedWebhook::eventId).containsExactly(
        DocumentedEventId.of("gated", "[2]", openFire), DocumentedEventId.of("gated", "[2]", closedAfterFire));
    assertThat(suppressed("gated")).containsOnly(
        Map.entry(DocumentedEventId.of("gated", "[1]", closedFire), "deliver_if"),
        Map.entry(DocumentedEventId.of("gated", "[1]", closedClear), "deliver_if"),
        Map.entry(DocumentedEventId.of("gated", "[3]", stillOpenFire), "deliver_if"),
        Map.entry(DocumentedEventId.of("gated", "[3]", pairedClear), "deliver_if"));
  }

  /**
   * Verifies a restart: the other source's state is not known until its fresh snapshot arrives, and a gated FIRE
   * committed right after the start waits for it rather than being decided against an unknown state.
   */
  @Test
  void afterARestartGatedEventsWaitForTheOtherSourcesState() {
    // GIVEN an open market and an active gated trigger
    emulator.insert(MARKET, "NYSE", true);
    assertThat(service.createWhenSourceReady(gated("gated")).statusCode()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/gated").getString("status")));

    // WHEN the service restarts and a key fires while it starts
    service.restartApplication();
    long fired = emulator.insert(EmulatedService.SOURCE, 7, 700);

    // THEN the FIRE is delivered (decided on the market as read after the start), nothing suppressed
    awaitTrue(() -> received("gated").size() == 1);
    assertThat(received("gated").get(0).eventId()).isEqualTo(DocumentedEventId.of("gated", "[7]", fired));
    assertThat(suppressed("gated")).isEmpty();
  }

  /**
   * Verifies that a deliver_if that does not fit the other source, or that comes with {@code include_snapshot}, is
   * refused 400 naming the field.
   */
  @Test
  void badDeliverIfIsRefusedNamingTheField() {
    JsonObject unknownColumn = gatedJson("bad").put("deliver_if", new JsonObject().put("source", MARKET)
        .put("key", new JsonArray().add("NYSE")).put("where", new JsonObject().put("closed",
            new JsonObject().put("_eq", true))));
    JsonObject wrongArity = gatedJson("bad").put("deliver_if", new JsonObject().put("source", MARKET)
        .put("key", new JsonArray().add("NYSE").add(1)).put("where", new JsonObject().put("open",
            new JsonObject().put("_eq", true))));
    JsonObject unknownSource = gatedJson("bad").put("deliver_if", new JsonObject().put("source", "calendar")
        .put("key", new JsonArray().add("NYSE")).put("where", new JsonObject().put("open",
            new JsonObject().put("_eq", true))));
    JsonObject ownSource = gatedJson("bad").put("deliver_if", new JsonObject().put("source", EmulatedService.SOURCE)
        .put("key", new JsonArray().add(1)).put("where", new JsonObject().put("score",
            new JsonObject().put("_eq", 1))));

    assertThat(fieldOf(unknownColumn)).startsWith("deliver_if.where");
    assertThat(fieldOf(wrongArity)).isEqualTo("deliver_if.key");
    assertThat(fieldOf(unknownSource)).isEqualTo("deliver_if.source");
    assertThat(fieldOf(ownSource)).isEqualTo("deliver_if.source");
    // snapshot FIREs of a trigger created while its source streams are staged ungated: the two are refused together
    assertThat(fieldOf(gatedJson("bad").put("include_snapshot", true))).isEqualTo("include_snapshot");
    assertThat(service.get("/api/v1/triggers").getJsonArray("triggers")).isEmpty();
  }

  private String fieldOf(JsonObject trigger) {
    var response = service.createWhenSourceReady(trigger.encode());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    return response.bodyAsJsonObject().getJsonObject("error").getString("field");
  }

  private List<ReceivedWebhook> received(String trigger) {
    return receiver.received().stream()
        .filter(webhook -> trigger.equals(webhook.json().getString("trigger_name"))).toList();
  }

  /** The trigger's suppressed events: event id to reason. */
  private Map<String, String> suppressed(String trigger) {
    JsonArray events = service.get("/api/v1/triggers/" + trigger + "/events?status=suppressed")
        .getJsonArray("events");
    return events == null ? Map.of() : events.stream().map(JsonObject.class::cast).collect(
        java.util.stream.Collectors.toMap(event -> event.getString("event_id"),
            event -> event.getString("suppressed_reason")));
  }

  private String gated(String name) {
    return gatedJson(name).encode();
  }

  private JsonObject gatedJson(String name) {
    return new JsonObject()
        .put("name", name)
        .put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", receiver.url("/" + name)))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100)))
        .put("deliver_if", new JsonObject().put("source", MARKET).put("key", new JsonArray().add("NYSE"))
            .put("where", new JsonObject().put("open", new JsonObject().put("_eq", true))));
  }

  private String control() {
    return new JsonObject()
        .put("name", "market_open")
        .put("source", MARKET)
        .put("webhook", new JsonObject().put("url", receiver.url("/market_open")))
        .put("fire", new JsonObject().put("open", new JsonObject().put("_eq", true)))
        .encode();
  }
}
