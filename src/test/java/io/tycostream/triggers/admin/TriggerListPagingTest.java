package io.tycostream.triggers.admin;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.admin.AdminApiFixture.await;
import static io.tycostream.triggers.admin.AdminApiFixture.definition;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the paged trigger list over HTTP: limits, the opaque cursor, the answers to bad paging values, and the
 * request id of a refused request.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TriggerListPagingTest {

  @TempDir
  Path dataDir;

  private AdminApiFixture api;

  @BeforeEach
  void startApi(Vertx vertx) {
    api = AdminApiFixture.start(vertx, dataDir, false, false);
  }

  @AfterEach
  void stopApi() {
    api.close();
  }

  /** Verifies that following next_cursor walks every trigger once, in name order, and ends with null. */
  @Test
  void followsTheCursorThroughEveryPage() {
    // GIVEN five triggers
    for (String name : List.of("e", "c", "a", "d", "b")) {
      assertThat(api.post(definition(name)).statusCode()).isEqualTo(201);
    }

    // WHEN the list is read two at a time, following next_cursor
    List<List<String>> pages = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = api.list(TriggerRoutes.TRIGGERS + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      pages.add(page.getJsonArray("triggers").stream().map(t -> ((JsonObject) t).getString("name")).toList());
      cursor = page.getString("next_cursor");
      assertThat(page.containsKey("next_cursor")).isTrue();
    } while (cursor != null);

    // THEN the pages are a b, c d, e
    assertThat(pages).containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e"));
    // AND without parameters the first page holds all five (default limit 100), with nothing after it
    JsonObject all = api.list();
    assertThat(all.getJsonArray("triggers")).hasSize(5);
    assertThat(all.getValue("next_cursor")).isNull();
  }

  /** Verifies that out-of-range limits and cursors this API never gave are answered 400 naming the parameter. */
  @Test
  void refusesBadLimitsAndCursors() {
    // GIVEN limits out of range or not numbers, and cursors that are not base64url of a name
    String invalidUtf8 = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {(byte) 0xff, 0x41});
    String empty = Base64.getUrlEncoder().withoutPadding().encodeToString("".getBytes(StandardCharsets.UTF_8));

    // WHEN each is asked THEN the answer is 400 invalid_field naming the parameter
    for (String limit : List.of("0", "1001", "-1", "ten", "99999999999")) {
      assertBadParameter(api.get(TriggerRoutes.TRIGGERS + "?limit=" + limit), "limit");
    }
    for (String cursor : List.of("%21%21%21", invalidUtf8 + "%3D%3D%3D", invalidUtf8, "a".repeat(2_000))) {
      assertBadParameter(api.get(TriggerRoutes.TRIGGERS + "?cursor=" + cursor), "cursor");
    }
    // AND an empty cursor is the first page, as is no cursor
    assertThat(api.get(TriggerRoutes.TRIGGERS + "?cursor=" + empty).statusCode()).isEqualTo(200);
    assertThat(api.get(TriggerRoutes.TRIGGERS + "?limit=1000").statusCode()).isEqualTo(200);
  }

  /** Verifies that a request id is answered in the header and in the error body: the client's own, or generated. */
  @Test
  void answersTheRequestIdOfARefusedRequest() {
    // GIVEN a refused request with the client's id, and one without
    HttpResponse<Buffer> given = await(api.request(HttpMethod.GET, TriggerRoutes.TRIGGERS + "?limit=0")
        .putHeader(RequestIds.HEADER, "client-42").send());
    HttpResponse<Buffer> generated = api.get(TriggerRoutes.TRIGGERS + "/nope");

    // THEN the client's id comes back, and a generated one is the same in the header and the body
    assertThat(given.getHeader(RequestIds.HEADER)).isEqualTo("client-42");
    assertThat(given.bodyAsJsonObject().getJsonObject("error").getString("request_id")).isEqualTo("client-42");
    assertThat(generated.statusCode()).isEqualTo(404);
    assertThat(generated.getHeader(RequestIds.HEADER)).isNotBlank()
        .isEqualTo(generated.bodyAsJsonObject().getJsonObject("error").getString("request_id"));
  }

  private static void assertBadParameter(HttpResponse<Buffer> response, String field) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("invalid_field");
    assertThat(error.getString("field")).isEqualTo(field);
  }
}
