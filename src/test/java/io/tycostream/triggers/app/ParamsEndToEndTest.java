package io.tycostream.triggers.app;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static io.tycostream.triggers.testkit.Blocking.pause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parameterized conditions ({@code params} and {@code {"_param": …}}) as a user sees them, over the wire emulator
 * and a real receiver: two triggers sharing one definition with different params fire for different rows; changing
 * params with {@code PUT …/params} or {@code PATCH} reconciles the matched keys exactly as a reference model of the
 * table says (FIRE for rows that now match, CLEAR for rows that no longer do); mistakes are 400s naming the field.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ParamsEndToEndTest {

  /** One definition for every trigger here: an account's rows whose position exceeds its limit. */
  private static final JsonObject PER_ACCOUNT_LIMIT = new JsonObject()
      .put("account", new JsonObject().put("_eq", new JsonObject().put("_param", "account")))
      .put("net_position", new JsonObject().put("_gt", new JsonObject().put("_param", "limit")));

  @TempDir
  Path dataDir;

  private EmulatedService service;

  @BeforeEach
  void setUp(Vertx vertx) {
    service = EmulatedService.start(vertx, dataDir, EmulatorColumn.of("id", PgType.INT4),
        EmulatorColumn.of("account", PgType.TEXT), EmulatorColumn.of("net_position", PgType.INT8));
  }

  @AfterEach
  void tearDown() {
    service.close();
  }

  /** Verifies that one definition with two sets of params fires each trigger for its own rows only. */
  @Test
  void sharedDefinitionFiresPerParams() {
    // GIVEN limit_a (account a over 100) and limit_b (account b over 500), the same definition
    created(create("limit_a", new JsonObject().put("account", "a").put("limit", 100)));
    created(create("limit_b", new JsonObject().put("account", "b").put("limit", 500)));
    awaitActive("limit_a");
    awaitActive("limit_b");
    assertThat(service.get("/api/v1/triggers/limit_b").getJsonObject("params"))
        .isEqualTo(new JsonObject().put("account", "b").put("limit", 500));

    // WHEN rows of both accounts arrive
    service.emulator.insert("scores", 1, "a", 150L);
    service.emulator.insert("scores", 2, "b", 150L);
    service.emulator.insert("scores", 3, "b", 600L);
    service.emulator.insert("scores", 4, "a", 50L);
    awaitTrue(() -> service.receiver.received().size() >= 2);
    pause(500);

    // THEN limit_a fired for row 1 and limit_b for row 3, nothing else
    Map<String, Integer> fired = new TreeMap<>();
    service.receiver.received().forEach(webhook -> fired.put(webhook.json().getString("trigger_name"),
        webhook.json().getJsonObject("data").getInteger("id")));
    assertThat(service.receiver.received()).hasSize(2);
    assertThat(fired).isEqualTo(Map.of("limit_a", 1, "limit_b", 3));
  }

  /** Verifies each mistake is a 400 naming the field to fix, at creation and on PUT. */
  @Test
  void refusesMistakesNamingTheField() {
    assertThat(fieldOf(create("bad", new JsonObject().put("account", "a"))))
        .isEqualTo("fire.net_position._gt._param");
    assertThat(fieldOf(create("bad", new JsonObject().put("account", "a").put("limit", "lots"))))
        .isEqualTo("params.limit");
    assertThat(fieldOf(create("bad", new JsonObject().put("account", "a").put("limit", 1).put("limti", 2))))
        .isEqualTo("params.limti");
    assertThat(fieldOf(create("bad", new JsonObject().put("account", 7).put("limit", 1))))
        .isEqualTo("params.account");

    created(create("limit_a", new JsonObject().put("account", "a").put("limit", 100)));
    assertThat(fieldOf(service.put("/api/v1/triggers/limit_a/params", "{\"account\": \"a\", \"limit\": true}")))
        .isEqualTo("params.limit");
    assertThat(fieldOf(service.put("/api/v1/triggers/limit_a/params", "[1]"))).isEqualTo("params");
    assertThat(service.put("/api/v1/triggers/nobody/params", "{}").statusCode()).isEqualTo(404);
  }

  /**
   * Verifies, against a model of the table written here, that every params change (PUT and PATCH alike) is followed
   * by exactly the FIREs and CLEARs a reconcile must send, and that live rows are then judged by the new values; the
   * change is audited and guarded by the ETag.
   */
  @Test
  void paramChangesReconcileLikeTheModel() {
    // GIVEN one trigger on account a with limit 100, and rows of both accounts
    created(create("limit_a", new JsonObject().put("account", "a").put("limit", 100)));
    awaitActive("limit_a");
    Model model = new Model("a", 100);
    Random random = new Random(11);
    for (int id = 1; id <= 6; id++) {
      model.write(id, id % 3 == 0 ? "b" : "a", 40L * id);
    }
    expect(model);

    // WHEN params change (PUT and PATCH in turn) with rows written in between
    long[] limits = {130, 30, 250, 90, 170, 10};
    for (int step = 0; step < limits.length; step++) {
      String account = step == 3 ? "b" : "a";
      JsonObject params = new JsonObject().put("account", account).put("limit", limits[step]);
      HttpResponse<Buffer> changed = step % 2 == 0
          ? service.put("/api/v1/triggers/limit_a/params", params.encode())
          : service.patch("/api/v1/triggers/limit_a", new JsonObject().put("params", params).encode());
      assertThat(changed.statusCode()).as(changed.bodyAsString()).isEqualTo(200);
      assertThat(changed.bodyAsJsonObject().getJsonObject("params")).isEqualTo(params);
      model.change(account, limits[step]);
      // THEN the reconcile sends exactly the model's difference
      expect(model);
      // AND live rows are judged with the new values
      model.write(1 + random.nextInt(7), random.nextBoolean() ? "a" : "b", (long) random.nextInt(300));
      expect(model);
    }

    // AND the changes are audited, and a stale ETag is refused
    JsonObject audit = service.get("/api/v1/audit?action=trigger.update");
    assertThat(audit.getJsonArray("entries")).hasSize(limits.length);
    HttpResponse<Buffer> stale = service.putIfMatch("/api/v1/triggers/limit_a/params",
        "{\"account\": \"a\", \"limit\": 5}", "\"1\"");
    assertThat(stale.statusCode()).isEqualTo(412);
    HttpResponse<Buffer> current = service.putIfMatch("/api/v1/triggers/limit_a/params",
        "{\"account\": \"a\", \"limit\": 5}", service.get("/api/v1/triggers/limit_a").getLong("version") + "");
    assertThat(current.statusCode()).as(current.bodyAsString()).isEqualTo(200);
    assertThat(current.getHeader("etag")).isNotBlank();
  }

  /**
   * The trigger as the contract defines it, written plainly: a row matches when its account is the param account and
   * its position exceeds the limit; a params change reconciles (FIRE what now matches, CLEAR what no longer does);
   * a write FIREs or CLEARs its key.
   */
  private static final class Model {
    private final Map<Integer, Object[]> table = new TreeMap<>();
    private final TreeSet<Integer> matched = new TreeSet<>();
    private final List<String> expected = new ArrayList<>();
    private String account;
    private long limit;

    Model(String account, long limit) {
      this.account = account;
      this.limit = limit;
    }

    void write(int id, String rowAccount, long position) {
      table.put(id, new Object[] {rowAccount, position});
      judge(id);
    }

    void change(String account, long limit) {
      this.account = account;
      this.limit = limit;
      table.keySet().forEach(this::judge);
    }

    private void judge(int id) {
      Object[] row = table.get(id);
      boolean matches = row[0].equals(account) && (long) row[1] > limit;
      if (matches && matched.add(id)) {
        expected.add("FIRE " + id);
      } else if (!matches && matched.remove(id)) {
        expected.add("CLEAR " + id);
      }
    }
  }

  /** Writes the model's new rows to the emulator, then waits for exactly the model's events (in any order). */
  private void expect(Model model) {
    int before = service.receiver.received().size();
    flush(model);
    List<String> wanted = new ArrayList<>(model.expected);
    model.expected.clear();
    awaitTrue(() -> service.receiver.received().size() >= before + wanted.size());
    pause(400);
    List<ReceivedWebhook> received = service.receiver.received();
    assertThat(received).as("no event beyond the model's").hasSize(before + wanted.size());
    List<String> got = received.subList(before, received.size()).stream()
        .map(webhook -> webhook.eventType() + " " + webhook.json().getJsonObject("data").getInteger("id"))
        .sorted().toList();
    assertThat(got).isEqualTo(wanted.stream().sorted().toList());
  }

  /** Sends the rows the model changed since the last flush to the emulator, as inserts and updates. */
  private void flush(Model model) {
    model.table.forEach((id, row) -> {
      Object[] shown = emulatorRows.get(id);
      if (shown == null) {
        service.emulator.insert("scores", id, row[0], row[1]);
      } else if (!shown[0].equals(row[0]) || !shown[1].equals(row[1])) {
        service.emulator.update("scores", new Object[] {id, shown[0], shown[1]}, new Object[] {id, row[0], row[1]});
      }
      emulatorRows.put(id, row.clone());
    });
  }

  /** The rows as the emulator holds them. */
  private final Map<Integer, Object[]> emulatorRows = new TreeMap<>();

  private HttpResponse<Buffer> create(String name, JsonObject params) {
    return service.createWhenSourceReady(new JsonObject()
        .put("name", name)
        .put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", service.receiver.url("/hooks")))
        .put("fire", PER_ACCOUNT_LIMIT.copy())
        .put("params", params)
        .encode());
  }

  private void awaitActive(String name) {
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/" + name).getString("status")));
  }

  private static void created(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
  }

  private static String fieldOf(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    return response.bodyAsJsonObject().getJsonObject("error").getString("field");
  }
}
