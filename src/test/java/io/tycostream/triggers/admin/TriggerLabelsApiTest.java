package io.tycostream.triggers.admin;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.delivery.BreakerState;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.admin.AdminApiFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Description and labels ({@code metadata}) of triggers over the real API and store: validated at creation, merged
 * label by label by {@code PATCH}, and used with {@code enabled} and {@code status} to filter the list; a disabled
 * trigger shows {@code status: disabled}, and one whose endpoint's circuit is open shows {@code failing}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TriggerLabelsApiTest {

  @TempDir
  Path dataDir;

  private AdminApiFixture api;

  @BeforeEach
  void start(Vertx vertx) {
    api = AdminApiFixture.start(vertx, dataDir, false, false);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  /** Verifies that description and labels are stored, shown, merged by PATCH and refused when malformed. */
  @Test
  void descriptionAndLabelsAreKeptAndMerged() {
    assertThat(create("risk", "{\"team\": \"risk\", \"tier\": \"1\"}").statusCode()).isEqualTo(201);
    JsonObject stored = api.get(TriggerRoutes.TRIGGERS + "/risk").bodyAsJsonObject();
    assertThat(stored.getString("description")).isEqualTo("alerts for risk");
    assertThat(stored.getJsonObject("metadata")).isEqualTo(new JsonObject().put("team", "risk").put("tier", "1"));

    // a label set to null is removed, one given is set, the others stay
    JsonObject patched = patch("risk", "{\"metadata\": {\"tier\": null, \"owner\": \"ops\"}, \"description\": \"x\"}");
    assertThat(patched.getJsonObject("metadata")).isEqualTo(new JsonObject().put("owner", "ops").put("team", "risk"));
    assertThat(patched.getString("description")).isEqualTo("x");

    assertThat(fieldOf(create("bad1", "{\"Team\": \"x\"}"))).isEqualTo("metadata.Team");
    assertThat(fieldOf(create("bad2", "{\"team\": 7}"))).isEqualTo("metadata.team");
    assertThat(fieldOf(create("bad3", "{\"v\": \"" + "x".repeat(257) + "\"}"))).isEqualTo("metadata.v");
  }

  /** Verifies that a field selection is checked: a list of distinct names, each a column of the source. */
  @Test
  void fieldSelectionsAreChecked() {
    assertThat(fieldOf(withFields("sel1", "\"quantity\""))).isEqualTo("fields");
    assertThat(fieldOf(withFields("sel2", "[\"quantity\", \"quantity\"]"))).isEqualTo("fields[1]");
    assertThat(fieldOf(withFields("sel3", "[\"quantity\", \"nope\"]"))).isEqualTo("fields[1]");
    assertThat(withFields("sel4", "[\"quantity\"]").statusCode()).isEqualTo(201);
    assertThat(api.get(TriggerRoutes.TRIGGERS + "/sel4").bodyAsJsonObject().getJsonArray("fields"))
        .containsExactly("quantity");
  }

  private HttpResponse<Buffer> withFields(String name, String fields) {
    return api.post("""
        {"name": "%s", "source": "positions", "webhook": {"url": "https://hooks.example.com/risk"},
         "fire": {"quantity": {"_gt": 100}}, "fields": %s}""".formatted(name, fields));
  }

  /** Verifies the list filters on labels, enabled and status, and how a disabled trigger reads. */
  @Test
  void theListFiltersOnLabelsEnabledAndStatus() {
    create("a", "{\"team\": \"risk\"}");
    create("b", "{\"team\": \"ops\"}");
    create("c", "{\"team\": \"risk\"}");
    assertThat(patch("c", "{\"enabled\": false}").getString("status")).isEqualTo("disabled");

    assertThat(names("?label=team=risk")).containsExactly("a", "c");
    assertThat(names("?label=team=risk&enabled=true")).containsExactly("a");
    assertThat(names("?status=disabled")).containsExactly("c");
    assertThat(names("?enabled=false&label=team=ops")).isEmpty();
    assertThat(fieldOf(api.get(TriggerRoutes.TRIGGERS + "?enabled=maybe"))).isEqualTo("enabled");
    assertThat(fieldOf(api.get(TriggerRoutes.TRIGGERS + "?label=team"))).isEqualTo("label");
    assertThat(fieldOf(api.get(TriggerRoutes.TRIGGERS + "?status=sleeping"))).isEqualTo("status");
  }

  /** Verifies that an active trigger whose endpoint's circuit is open reads as failing, with the breaker. */
  @Test
  void anOpenCircuitMakesAnActiveTriggerFailing() {
    BreakerState open = new BreakerState("https://hooks.example.com:443", Set.of("a"), "open", 5, Instant.EPOCH,
        Instant.EPOCH.plusSeconds(30), 3, 0);
    JsonObject active = new JsonObject().put("name", "a").put("status", "active");
    JsonObject failing = TriggerJson.withBreaker(active, List.of(open));
    assertThat(failing.getString("status")).isEqualTo("failing");
    assertThat(failing.getJsonObject("breaker").getString("state")).isEqualTo("open");
    JsonObject other = TriggerJson.withBreaker(new JsonObject().put("name", "b").put("status", "active"), List.of(open));
    assertThat(other.getString("status")).isEqualTo("active");
    assertThat(other.getValue("breaker")).isNull();
  }

  /**
   * Verifies that the list's {@code status=failing} selects the active triggers whose endpoint's circuit is open on
   * this node, as delivery reports its breakers over the bus, and that {@code status=active} leaves them out.
   */
  @Test
  void theListFiltersFailingTriggersByTheirCircuit(Vertx vertx) {
    // GIVEN active triggers a, b, c and d (d disabled); delivery reports a's circuit open, c's half-open, b's closed
    // with one failure counted
    for (String name : List.of("a", "b", "c", "d")) {
      create(name, "{}");
      await(api.store.markBaselined(name, BigInteger.ONE));
    }
    patch("d", "{\"enabled\": false}");
    JsonArray breakers = new JsonArray()
        .add(breaker("https://a.example.com:443", "a", "open").toJson())
        .add(breaker("https://b.example.com:443", "b", "closed").toJson())
        .add(breaker("https://c.example.com:443", "c", "half_open").toJson())
        .add(breaker("https://d.example.com:443", "d", "open").toJson());
    MessageConsumer<Object> delivery = vertx.eventBus().localConsumer(BusAddresses.DELIVERY_BREAKERS,
        request -> request.reply(breakers));
    try {
      // WHEN the list is filtered by status THEN each trigger is listed under the status it shows
      assertThat(names("?status=failing")).containsExactly("a", "c");
      assertThat(names("?status=active")).containsExactly("b");
      assertThat(names("?status=disabled")).containsExactly("d");
      assertThat(names("?status=failing&limit=1")).containsExactly("a");
      assertThat(statusOf("a")).isEqualTo("failing");
      assertThat(statusOf("b")).isEqualTo("active");
      assertThat(fieldOf(api.get(TriggerRoutes.TRIGGERS + "?status=failing&enabled=false"))).isEqualTo("status");
    } finally {
      await(delivery.unregister());
    }
  }

  private static BreakerState breaker(String endpoint, String trigger, String state) {
    boolean closed = state.equals("closed");
    return new BreakerState(endpoint, Set.of(trigger), state, closed ? 1 : 0, closed ? null : Instant.EPOCH,
        state.equals("open") ? Instant.EPOCH.plusSeconds(30) : null, 0, 0);
  }

  private String statusOf(String name) {
    HttpResponse<Buffer> response = api.get(TriggerRoutes.TRIGGERS + "/" + name);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getString("status");
  }

  private HttpResponse<Buffer> create(String name, String metadata) {
    return api.post("""
        {"name": "%s", "source": "positions", "webhook": {"url": "https://hooks.example.com/risk"},
         "fire": {"quantity": {"_gt": 100}}, "description": "alerts for risk", "metadata": %s}"""
        .formatted(name, metadata));
  }

  private JsonObject patch(String name, String body) {
    HttpResponse<Buffer> response = await(api.request(HttpMethod.PATCH, TriggerRoutes.TRIGGERS + "/" + name)
        .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body)));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private List<String> names(String query) {
    HttpResponse<Buffer> response = api.get(TriggerRoutes.TRIGGERS + query);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("triggers").stream()
        .map(trigger -> ((JsonObject) trigger).getString("name")).toList();
  }

  private static String fieldOf(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    return response.bodyAsJsonObject().getJsonObject("error").getString("field");
  }
}
