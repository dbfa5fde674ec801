package io.tycostream.triggers.admin;

import ch.qos.logback.classic.Level;
import io.tycostream.triggers.config.AdminConfig;
import io.tycostream.triggers.store.StoredApiKey;
import io.tycostream.triggers.testkit.CapturedLog;
import io.tycostream.triggers.testkit.TestApiKeys;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.tycostream.triggers.admin.AdminApiFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admin API authentication and roles against the real server and a real SQLite store: every {@code /api} route
 * refuses a request without a valid key (found by walking the router, so a route added later is covered), roles limit
 * what a key may do, keys are shown once and kept only as hashes, revoked and expired keys stop working, refused keys
 * are rate-limited per client, and authentication can be turned off on a loopback bind.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApiAuthTest {

  @TempDir
  Path dataDir;

  private AdminApiFixture api;

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  /** Verifies that every API route the router serves answers 401 in the error shape without a key or with a bad one. */
  @Test
  void everyApiRouteRefusesRequestsWithoutAValidKey(Vertx vertx) {
    api = AdminApiFixture.start(vertx, dataDir, false, false);
    List<String> walked = new ArrayList<>();
    for (Route route : api.admin.router().getRoutes()) {
      // a route is named by its path (parameters as :name) or its regular expression (named groups): both become
      // sample values; a literal colon in an expression (secret:rotate) stays
      String name = route.getName();
      String path = name == null ? null : name.contains("(?<")
          ? name.replaceAll("\\(\\?<[a-z_]+>[^)]*\\)", "probe") : name.replaceAll(":[a-z_]+", "probe");
      if (path == null || !path.startsWith("/api/") || path.equals(AdminVerticle.API_PATHS)) {
        continue; // the Host check, CORS and authentication themselves (every method of /api/*)
      }
      // a route for every method (router.route(path)) is probed with each method a client could send
      Set<HttpMethod> methods = route.methods() == null || route.methods().isEmpty()
          ? Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE)
          : route.methods();
      if (path.equals(OpenApiRoutes.DOCUMENT_PATH) || path.equals(OpenApiRoutes.PAGE_PATH)) {
        continue; // the API's description is public (OpenApiDocumentTest reads it without a key)
      }
      for (HttpMethod method : methods) {
        for (String authorization : new String[] {null, "Bearer tsk_not-a-key-of-this-service-0123456789abcdef",
            "Basic " + TestApiKeys.ADMIN}) {
          HttpRequest<Buffer> request = api.request(method, path).putHeader("content-type", "application/json");
          if (authorization == null) {
            request.headers().remove("authorization");
          } else {
            request.putHeader("authorization", authorization);
          }
          HttpResponse<Buffer> response = await(request.sendBuffer(Buffer.buffer("{}")));
          if (authorization != null && authorization.startsWith("Bearer") && response.statusCode() == 429) {
            // refused as well: this client guessed more keys than the limiter allows
            assertThat(errorCode(response)).isEqualTo("too_many_requests");
            continue;
          }
          assertThat(response.statusCode()).as(method + " " + path + " with " + authorization).isEqualTo(401);
          assertThat(errorCode(response)).isEqualTo("unauthenticated");
          assertThat(response.getHeader("www-authenticate")).startsWith("Bearer");
        }
        walked.add(method + " " + path);
      }
    }
    // the trigger API, the cluster view and the key API are all behind authentication
    assertThat(walked).contains("POST /api/v1/triggers", "GET /api/v1/triggers", "GET /api/v1/triggers/probe",
        "DELETE /api/v1/triggers/probe", "GET /api/v1/triggers/probe/events", "GET /api/v1/cluster",
        "POST /api/v1/api-keys", "GET /api/v1/api-keys", "DELETE /api/v1/api-keys/probe",
        "POST /api/v1/triggers/probe/secret:rotate");
  }

  /** Verifies that read keys only read, write keys also change triggers, and only admin keys manage keys. */
  @Test
  void rolesDecideWhatAKeyMayDo(Vertx vertx) {
    api = AdminApiFixture.start(vertx, dataDir, false, false);
    String reader = createKey("dashboard", "read");
    String writer = createKey("deployer", "write");

    assertThat(as(reader, HttpMethod.GET, TriggerRoutes.TRIGGERS, null).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> readerCreates = as(reader, HttpMethod.POST, TriggerRoutes.TRIGGERS,
        AdminApiFixture.definition("by_reader"));
    assertThat(readerCreates.statusCode()).isEqualTo(403);
    assertThat(errorCode(readerCreates)).isEqualTo("forbidden");
    assertThat(error(readerCreates).getString("message")).contains("dashboard").contains("'read'").contains("'write'");

    assertThat(as(writer, HttpMethod.POST, TriggerRoutes.TRIGGERS, AdminApiFixture.definition("by_writer"))
        .statusCode()).isEqualTo(201);
    // the key's name is the trigger's author, and the last author after a change by another key
    JsonObject created = as(reader, HttpMethod.GET, TriggerRoutes.TRIGGERS + "/by_writer", null).bodyAsJsonObject();
    assertThat(created.getString("created_by")).isEqualTo("deployer");
    assertThat(created.getString("updated_by")).isEqualTo("deployer");
    assertThat(api.post(TriggerRoutes.TRIGGERS + "/by_writer/secret:rotate", "application/json",
        Buffer.buffer("{\"overlap_seconds\": 0}")).statusCode()).isEqualTo(200);
    JsonObject rotated = api.get(TriggerRoutes.TRIGGERS + "/by_writer").bodyAsJsonObject();
    assertThat(rotated.getString("created_by")).isEqualTo("deployer");
    assertThat(rotated.getString("updated_by")).isEqualTo("bootstrap");
    assertThat(as(writer, HttpMethod.DELETE, TriggerRoutes.TRIGGERS + "/by_writer", null).statusCode())
        .isEqualTo(204);
    assertThat(as(writer, HttpMethod.GET, ApiAuthHandler.API_KEYS, null).statusCode()).isEqualTo(403);
    assertThat(as(writer, HttpMethod.POST, ApiAuthHandler.API_KEYS, "{\"name\":\"sneaky\",\"role\":\"admin\"}")
        .statusCode()).isEqualTo(403);
    assertThat(as(reader, HttpMethod.DELETE, ApiAuthHandler.API_KEYS + "/deployer", null).statusCode())
        .isEqualTo(403);
    assertThat(as(TestApiKeys.ADMIN, HttpMethod.GET, ApiAuthHandler.API_KEYS, null).statusCode()).isEqualTo(200);
  }

  /** Verifies that a key is answered once, never listed, and that neither it nor the bootstrap key is in the files. */
  @Test
  void keysAreShownOnceAndStoredOnlyAsHashes(Vertx vertx) throws IOException {
    api = AdminApiFixture.start(vertx, dataDir, false, false);
    String key = createKey("ci", "write");
    assertThat(key).startsWith("tsk_").hasSizeGreaterThanOrEqualTo(40);

    JsonObject listed = api.get(ApiAuthHandler.API_KEYS).bodyAsJsonObject();
    JsonObject ci = listed.getJsonArray("api_keys").stream().map(JsonObject.class::cast)
        .filter(entry -> entry.getString("name").equals("ci")).findFirst().orElseThrow();
    assertThat(ci.getString("role")).isEqualTo("write");
    assertThat(ci.getString("created_by")).isEqualTo("bootstrap");
    assertThat(ci.getBoolean("expired")).isFalse();
    assertThat(listed.encode()).doesNotContain(key).doesNotContain("pbkdf2").doesNotContain(TestApiKeys.ADMIN);

    api.close();
    api = null;
    for (Path file : files(dataDir)) {
      String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      assertThat(bytes).as(file.toString()).doesNotContain(key).doesNotContain(TestApiKeys.ADMIN)
          .doesNotContain(key.substring(4, 24));
    }
  }

  /** Verifies that a revoked key and an expired key are refused, and the last admin key cannot be revoked. */
  @Test
  void revokedAndExpiredKeysStopWorking(Vertx vertx) {
    api = AdminApiFixture.start(vertx, dataDir, false, false);
    String key = createKey("temp", "read");
    assertThat(as(key, HttpMethod.GET, TriggerRoutes.TRIGGERS, null).statusCode()).isEqualTo(200);
    assertThat(api.delete(ApiAuthHandler.API_KEYS + "/temp").statusCode()).isEqualTo(204);
    assertThat(as(key, HttpMethod.GET, TriggerRoutes.TRIGGERS, null).statusCode()).isEqualTo(401);
    assertThat(api.delete(ApiAuthHandler.API_KEYS + "/temp").statusCode()).isEqualTo(404);

    String expired = ApiKeyHasher.generateKey(new java.security.SecureRandom());
    String hash = new ApiKeyHasher().hash(expired);
    Instant past = Instant.now().minusSeconds(60);
    await(api.store.apiKeys().createApiKey(new StoredApiKey("old", "admin", hash, past.minusSeconds(60), "test",
        past)));
    HttpResponse<Buffer> refused = as(expired, HttpMethod.GET, TriggerRoutes.TRIGGERS, null);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(error(refused).getString("message")).contains("'old' expired");

    // the bootstrap key is the only admin key that has not expired: revoking it would lock every admin out
    HttpResponse<Buffer> last = api.delete(ApiAuthHandler.API_KEYS + "/bootstrap");
    assertThat(last.statusCode()).isEqualTo(409);
    assertThat(error(last).getString("field")).isEqualTo("name");
    String successor = createKey("ops", "admin");
    assertThat(as(successor, HttpMethod.DELETE, ApiAuthHandler.API_KEYS + "/bootstrap", null).statusCode())
        .isEqualTo(204);
    assertThat(api.get(TriggerRoutes.TRIGGERS).statusCode()).isEqualTo(401);
  }

  /** Verifies that bad key requests are 400 naming the field, and a taken name is 409. */
  @Test
  void badKeyRequestsNameTheField(Vertx vertx) {
    api = AdminApiFixture.start(vertx, dataDir, false, false);
    assertThat(fieldOf(post("{\"name\":\"x\",\"role\":\"root\"}"))).isEqualTo("role");
    assertThat(fieldOf(post("{\"name\":\"Bad Name\",\"role\":\"read\"}"))).isEqualTo("name");
    assertThat(fieldOf(post("{\"role\":\"read\"}"))).isEqualTo("name");
    assertThat(fieldOf(post("{\"name\":\"x\",\"role\":\"read\",\"expires_at\":\"2001-01-01T00:00:00Z\"}")))
        .isEqualTo("expires_at");
    assertThat(fieldOf(post("{\"name\":\"x\",\"role\":\"read\",\"expires_at\":\"tomorrow\"}")))
        .isEqualTo("expires_at");
    assertThat(fieldOf(post("{\"name\":\"x\",\"role\":\"read\",\"scope\":\"all\"}"))).isEqualTo("scope");
    assertThat(post("[1]").statusCode()).isEqualTo(400);
    createKey("x", "read");
    HttpResponse<Buffer> duplicate = post("{\"name\":\"x\",\"role\":\"read\"}");
    assertThat(duplicate.statusCode()).isEqualTo(409);
    assertThat(errorCode(duplicate)).isEqualTo("duplicate_name");
  }

  /** Verifies that after repeated refused keys a client is answered 429 (even with a good key), and keys never logged. */
  @Test
  void refusedKeysAreRateLimitedPerClientAndNeverLogged(Vertx vertx) {
    api = AdminApiFixture.start(vertx, dataDir, false, false);
    String guess = "tsk_guessed-key-0123456789abcdefghijklmnopqrstuv";
    try (CapturedLog log = CapturedLog.attach()) {
      for (int i = 0; i < FailedAuthLimiter.MAX_FAILURES; i++) {
        assertThat(as(guess + i, HttpMethod.GET, TriggerRoutes.TRIGGERS, null).statusCode()).isEqualTo(401);
      }
      HttpResponse<Buffer> limited = as(TestApiKeys.ADMIN, HttpMethod.GET, TriggerRoutes.TRIGGERS, null);
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(errorCode(limited)).isEqualTo("too_many_requests");
      assertThat(Integer.parseInt(limited.getHeader("retry-after"))).isBetween(1, 60);
      List<String> warnings = log.atLeast(Level.WARN).stream().filter(line -> line.contains("refused")).toList();
      assertThat(warnings).hasSize(FailedAuthLimiter.MAX_FAILURES).allSatisfy(line -> assertThat(line)
          .contains("127.0.0.1").doesNotContain("guessed-key"));
    }
    // the health endpoints stay open
    assertThat(await(api.request(HttpMethod.GET, AdminVerticle.LIVE_PATH).send()).statusCode()).isEqualTo(200);
  }

  /**
   * Verifies that the limit is per client address: after one address guessed too often, a client connecting from
   * another loopback address is still answered, and the guessing address is still refused.
   */
  @Test
  void refusedKeysAreLimitedPerAddressOnly(Vertx vertx) {
    api = AdminApiFixture.start(vertx, dataDir, false, false);
    for (int i = 0; i < FailedAuthLimiter.MAX_FAILURES; i++) {
      assertThat(as("tsk_guessed-key-0123456789abcdefghijklmnopq" + i, HttpMethod.GET, TriggerRoutes.TRIGGERS, null)
          .statusCode()).isEqualTo(401);
    }
    WebClient otherAddress = WebClient.create(vertx, new WebClientOptions().setLocalAddress("127.0.0.2"));
    try {
      HttpResponse<Buffer> other = await(otherAddress.get(api.port(), "127.0.0.1", TriggerRoutes.TRIGGERS)
          .putHeader("authorization", TestApiKeys.AUTHORIZATION).timeout(10_000).send());
      assertThat(other.statusCode()).as(other.bodyAsString()).isEqualTo(200);
    } finally {
      otherAddress.close();
    }
    assertThat(as(TestApiKeys.ADMIN, HttpMethod.GET, TriggerRoutes.TRIGGERS, null).statusCode()).isEqualTo(429);
  }

  /**
   * Verifies that guesses sent at once count before they are checked: of many distinct keys sent together from one
   * address, only as many as the limit allows are hashed and refused 401, the others are answered 429 at once, so a
   * burst cannot queue a slow hash per guess.
   */
  @Test
  void concurrentGuessesCountAgainstTheLimitBeforeTheyAreChecked(Vertx vertx) throws IOException {
    api = AdminApiFixture.start(vertx, dataDir, false, false);
    int guesses = 4 * FailedAuthLimiter.MAX_FAILURES;
    List<java.net.Socket> sockets = new ArrayList<>();
    List<String> statuses = new ArrayList<>();
    try {
      // GIVEN every guess sent on its own connection before any answer is read
      for (int i = 0; i < guesses; i++) {
        java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), api.port());
        socket.setSoTimeout(100);
        sockets.add(socket);
        socket.getOutputStream().write(("GET " + TriggerRoutes.TRIGGERS + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Authorization: Bearer tsk_burst-guess-0123456789abcdefghijklmnop" + i + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
      }
      // WHEN the answers are read
      for (java.net.Socket socket : sockets) {
        String answer = AdminSlowClientTest.readAvailable(socket, 15_000);
        statuses.add(answer.length() >= 12 ? answer.substring(9, 12) : answer);
      }
    } finally {
      for (java.net.Socket socket : sockets) {
        socket.close();
      }
    }
    // THEN only the limit's worth of guesses were checked and refused, the rest were turned away unchecked
    assertThat(statuses).hasSize(guesses).containsOnly("401", "429");
    assertThat(statuses).filteredOn("401"::equals).hasSize(FailedAuthLimiter.MAX_FAILURES);
  }

  /** Verifies that with authentication turned off (loopback bind) requests need no key. */
  @Test
  void authenticationCanBeTurnedOffOnLoopback(Vertx vertx) {
    api = AdminApiFixture.start(vertx, dataDir, false, false,
        new AdminConfig("127.0.0.1", 0).withAuthentication(false, null));
    HttpRequest<Buffer> anonymous = api.request(HttpMethod.GET, TriggerRoutes.TRIGGERS);
    anonymous.headers().remove("authorization");
    assertThat(await(anonymous.send()).statusCode()).isEqualTo(200);
    assertThat(await(api.store.apiKeys().countApiKeys())).isZero();
  }

  private String createKey(String name, String role) {
    HttpResponse<Buffer> created = post("{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.getHeader("location")).isEqualTo(ApiAuthHandler.API_KEYS + "/" + name);
    return created.bodyAsJsonObject().getString("key");
  }

  private HttpResponse<Buffer> post(String body) {
    return api.post(ApiAuthHandler.API_KEYS, "application/json", Buffer.buffer(body));
  }

  private HttpResponse<Buffer> as(String key, HttpMethod method, String path, String body) {
    HttpRequest<Buffer> request = api.request(method, path).putHeader("authorization", "Bearer " + key);
    if (body == null) {
      return await(request.send());
    }
    return await(request.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body)));
  }

  private static JsonObject error(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error");
  }

  private static String errorCode(HttpResponse<Buffer> response) {
    return error(response).getString("code");
  }

  private static String fieldOf(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    return error(response).getString("field");
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }
}
