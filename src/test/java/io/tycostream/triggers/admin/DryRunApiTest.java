package io.tycostream.triggers.admin;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.definition.TriggerMode;
import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.SourceSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tycostream.triggers.admin.AdminApiFixture.await;
import static io.tycostream.triggers.admin.AdminApiFixture.definition;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies {@code POST /api/v1/triggers:test} against the real admin server and store, with the source's reader
 * stood in for by a consumer of its snapshot address (#10): the bound on matches, exact numbers, the validation shared
 * with creation, a source that takes no snapshot, and that nothing is stored or announced.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DryRunApiTest {

  private static final BigInteger FRONTIER = BigInteger.valueOf(1705316445124L);

  @TempDir
  Path dataDir;

  private AdminApiFixture api;
  private final AtomicInteger snapshotsTaken = new AtomicInteger();

  @BeforeEach
  void startApi(Vertx vertx) {
    api = AdminApiFixture.start(vertx, dataDir, false, false);
  }

  @AfterEach
  void stopApi() {
    api.close();
  }

  private HttpResponse<Buffer> dryRun(String body) {
    return api.post(DryRunRoutes.DRY_RUN, "application/json", Buffer.buffer(body));
  }

  /** Stands in for the reader of source positions: answers every snapshot request with {@code rows}. */
  private MessageConsumer<Object> serveSnapshot(List<Change> rows) {
    MessageConsumer<Object> reader = api.vertx.eventBus().localConsumer(BusAddresses.snapshot(AdminApiFixture.READY),
        request -> {
          snapshotsTaken.incrementAndGet();
          request.reply(new SourceSnapshot(AdminApiFixture.READY, FRONTIER, rows, AdminApiFixture.SCHEMA));
        });
    await(reader.completion());
    return reader;
  }

  private static Change position(String account, String quantity) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("account", account);
    row.put("quantity", new BigDecimal(quantity));
    row.put("active", true);
    return Change.upsert(List.of(account), row, FRONTIER.subtract(BigInteger.ONE));
  }

  /** Verifies that at most 1,000 matches are listed, truncated is said, and numbers stay exact. */
  @Test
  void listsAtMostAThousandMatchesWithExactNumbers() {
    // GIVEN a snapshot of 1,001 rows over the fire threshold (100.5) and 501 below it
    List<Change> rows = new ArrayList<>();
    for (int i = 0; i < 1_502; i++) {
      rows.add(position(String.format("A-%04d", i), i % 3 == 0 ? "7" : "100.50000000000000000001"));
    }
    serveSnapshot(rows);

    // WHEN the definition is dry-run
    HttpResponse<Buffer> response = dryRun(definition("probe"));

    // THEN 1,000 matches are listed with truncated: true, each quantity and payload data exact to the last digit
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject answer = response.bodyAsJsonObject();
    assertThat(answer.getString("frontier")).isEqualTo(FRONTIER.toString());
    assertThat(answer.getBoolean("truncated")).isTrue();
    assertThat(answer.getJsonArray("matches")).hasSize(DryRunRoutes.MAX_MATCHES);
    assertThat(response.bodyAsString()).doesNotContain("\"quantity\":7")
        .contains("{\"account\":\"A-0001\",\"quantity\":100.50000000000000000001,\"active\":true}");
    JsonObject first = answer.getJsonArray("matches").getJsonObject(0);
    assertThat(first.getJsonArray("key").getString(0)).isEqualTo("A-0001");
    assertThat(first.getJsonObject("payload").getString("source_timestamp"))
        .isEqualTo(FRONTIER.subtract(BigInteger.ONE).toString());
    // AND nothing was stored or announced
    assertThat(api.list().getJsonArray("triggers")).isEmpty();
    assertThat(api.changes).isEmpty();
  }

  /** Verifies that exactly 1,000 matches are not truncated. */
  @Test
  void exactlyAThousandMatchesAreNotTruncated() {
    List<Change> rows = new ArrayList<>();
    for (int i = 0; i < DryRunRoutes.MAX_MATCHES; i++) {
      rows.add(position(String.format("A-%04d", i), "200"));
    }
    serveSnapshot(rows);

    JsonObject answer = dryRun(definition("probe")).bodyAsJsonObject();

    assertThat(answer.getJsonArray("matches")).hasSize(DryRunRoutes.MAX_MATCHES);
    assertThat(answer.getBoolean("truncated")).isFalse();
  }

  /** Verifies that every request creation refuses is refused the same way, before any snapshot is taken. */
  @Test
  void refusesWhatCreationRefusesWithoutASnapshot() {
    // GIVEN one existing trigger and a reader that would answer
    assertThat(api.post(definition("existing")).statusCode()).isEqualTo(201);
    JsonObject before = api.list();
    serveSnapshot(List.of(position("A-1", "200")));
    List<TriggerApiValidationTest.BadRequest> bad = new ArrayList<>(TriggerApiValidationTest.badRequests());
    // a dry run may use a taken name: it creates nothing (a way to try a change to an existing trigger)
    bad.removeIf(request -> request.code().equals("duplicate_name"));
    bad.add(new TriggerApiValidationTest.BadRequest("unknown mode", "application/json",
        definition("odd").replace("{\"name\"", "{\"mode\": \"dry\", \"name\""), 400, "invalid_field", "mode"));

    for (TriggerApiValidationTest.BadRequest request : bad) {
      // WHEN it is dry-run
      HttpResponse<Buffer> response = api.post(DryRunRoutes.DRY_RUN, request.contentType(),
          Buffer.buffer(request.body()));

      // THEN it gets creation's status, code and field
      assertThat(response.statusCode()).as(request.what() + ": " + response.bodyAsString()).isEqualTo(request.status());
      JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
      assertThat(error.getString("code")).as(request.what()).isEqualTo(request.code());
      assertThat(error.getString("field")).as(request.what()).isEqualTo(request.field());
    }
    // AND no snapshot was taken and nothing changed
    assertThat(snapshotsTaken).hasValue(0);
    assertThat(api.list()).isEqualTo(before);
  }

  /** Verifies that a source whose reader takes no snapshot is 503 unavailable naming the source. */
  @Test
  void sourceWithoutSnapshotIsUnavailable() {
    // GIVEN no reader answers snapshots of positions, WHEN a definition is dry-run
    HttpResponse<Buffer> response = dryRun(definition("probe"));

    // THEN it is 503 unavailable on source
    assertThat(response.statusCode()).isEqualTo(503);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("unavailable");
    assertThat(error.getString("field")).isEqualTo("source");
  }

  /** Verifies that the dry-run path does not reach creation, and creation still works beside it. */
  @Test
  void dryRunPathDoesNotCollideWithCreation() {
    serveSnapshot(List.of(position("A-1", "200")));

    assertThat(dryRun(definition("probe")).statusCode()).isEqualTo(200);
    assertThat(api.list().getJsonArray("triggers")).isEmpty();
    assertThat(api.post(definition("probe")).statusCode()).isEqualTo(201);
    assertThat(api.list().getJsonArray("triggers")).hasSize(1);
  }

  /**
   * Verifies the registration-level switch of mode the PATCH endpoint builds on: the stored definition changes, GET
   * shows it with its author, and the change is announced.
   */
  @Test
  void changeModeUpdatesTheStoredDefinitionAndAnnounces() throws InterruptedException {
    // GIVEN a debug trigger created over the API
    assertThat(api.post(definition("t1").replace("{\"name\"", "{\"mode\": \"debug\", \"name\"")).statusCode())
        .isEqualTo(201);
    assertThat(api.get("/api/v1/triggers/t1").bodyAsJsonObject().getString("mode")).isEqualTo("debug");
    api.awaitChanges(1);

    // WHEN its mode is switched to live through the registration
    TriggerRegistration registration = new TriggerRegistration(api.vertx, api.store, AdminApiFixture.SOURCES,
        WebhookTargetPolicy.strict());
    await(registration.changeMode("t1", TriggerMode.LIVE, "alice"));

    // THEN GET shows it live, changed by alice, and the change was announced
    JsonObject shown = api.get("/api/v1/triggers/t1").bodyAsJsonObject();
    assertThat(shown.getString("mode")).isEqualTo("live");
    assertThat(shown.getString("updated_by")).isEqualTo("alice");
    assertThat(api.awaitChanges(2).get(1).getString("change")).isEqualTo(TriggerRegistration.MODE_CHANGED);
  }
}
