package io.tycostream.triggers.admin;

import ch.qos.logback.classic.Level;
import io.tycostream.triggers.testkit.CapturedLog;
import io.tycostream.triggers.testkit.TestApiKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies, over raw sockets against the real admin server and store, that every kind of 4xx it gives is in the JSON
 * error shape with the request id of its {@code X-Request-Id} header: those of the API's own handlers, those of the
 * router (no route, wrong method, body too large, a path that does not decode, no {@code Host}, an unknown
 * {@code Expect}) and those of the HTTP layer (request line and headers too long, not HTTP); that none of them leaves
 * a WARN or ERROR line in the log; and that the server speaks HTTP/1.1 only (no h2c upgrade around its limits).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminErrorShapeTest {

  private static final String HOST = "Host: 127.0.0.1\r\n";
  private static final String KEY = "Authorization: " + TestApiKeys.AUTHORIZATION + "\r\n";
  private static final String JSON = "Content-Type: application/json\r\n";

  /** One bad request, the status and code it must be answered with. */
  private record BadRequest(String what, String request, int status, String code) {
  }

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

  /** Verifies the error shape and request id of every 4xx, and that no bad request logs at WARN or above. */
  @Test
  void everyClientErrorIsInTheJsonShapeAndLogsNoWarning() throws IOException {
    List<BadRequest> requests = List.of(
        new BadRequest("not JSON", post("/api/v1/triggers", JSON, "{nope"), 400, "malformed_json"),
        new BadRequest("a path that does not decode", get("/api/v1/triggers/%zz", HOST + KEY), 400,
            "malformed_request"),
        new BadRequest("HTTP/1.1 without Host", get("/api/v1/triggers", KEY), 400, "malformed_request"),
        new BadRequest("not HTTP", "\u0001\u0002 nonsense\r\n\r\n", 400, "malformed_request"),
        new BadRequest("no API key", get("/api/v1/triggers", HOST), 401, "unauthenticated"),
        new BadRequest("no route", get("/nowhere", HOST), 404, "not_found"),
        new BadRequest("unknown trigger", get("/api/v1/triggers/absent", HOST + KEY), 404, "not_found"),
        new BadRequest("wrong method", "PUT /api/v1/triggers HTTP/1.1\r\n" + HOST + KEY + "Content-Length: 0\r\n\r\n",
            405, "method_not_allowed"),
        // the declared length is refused before any body byte is read
        new BadRequest("body too large", "POST /api/v1/triggers HTTP/1.1\r\n" + HOST + KEY + JSON
            + "Content-Length: " + (TriggerRoutes.MAX_BODY_BYTES + 1) + "\r\n\r\n", 413, "body_too_large"),
        new BadRequest("request line too long",
            get("/api/v1/triggers?x=" + "a".repeat(AdminVerticle.MAX_REQUEST_LINE_BYTES), HOST + KEY), 414,
            "uri_too_long"),
        new BadRequest("not JSON media type", post("/api/v1/triggers", "Content-Type: text/plain\r\n", "{}"), 415,
            "unsupported_media_type"),
        new BadRequest("unknown expectation",
            post("/api/v1/triggers", JSON + "Expect: something-else\r\n", "{}"), 417, "expectation_failed"),
        new BadRequest("another Host name", get("/api/v1/triggers", "Host: rebound.example\r\n" + KEY), 421,
            "misdirected_request"),
        new BadRequest("headers too large",
            get("/health/live", HOST + "X-Big: " + "b".repeat(AdminVerticle.MAX_HEADER_BYTES) + "\r\n"), 431,
            "headers_too_large"));

    try (CapturedLog log = CapturedLog.attach()) {
      for (BadRequest bad : requests) {
        // WHEN the request is sent on its own connection
        String answer = send(bad.request());

        // THEN it is answered with its status, in the error shape, naming the request id of the response header
        assertThat(answer).as(bad.what()).matches("(?s)HTTP/1\\.[01] " + bad.status() + " .*");
        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
        assertThat(head).as(bad.what()).contains("content-type: application/json");
        JsonObject error = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)).getJsonObject("error");
        assertThat(error.getString("code")).as(bad.what()).isEqualTo(bad.code());
        assertThat(error.getString("message")).as(bad.what()).isNotBlank();
        assertThat(head).as(bad.what()).contains("x-request-id: " + error.getString("request_id").toLowerCase(
            Locale.ROOT));
      }
      // AND no bad request left a WARN or ERROR line (Vert.x logs its own 400s at ERROR with a trace otherwise)
      assertThat(log.atLeast(Level.WARN)).isEmpty();
    }
  }

  /** Verifies that an h2c upgrade request is answered over HTTP/1.1, not switched to HTTP/2. */
  @Test
  void speaksHttp11Only() throws IOException {
    String answer = send(get("/api/v1/triggers", HOST + KEY + "Connection: Upgrade, HTTP2-Settings\r\n"
        + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n"));
    assertThat(answer).startsWith("HTTP/1.1 200 ");
  }

  private static String get(String pathAndQuery, String headers) {
    return "GET " + pathAndQuery + " HTTP/1.1\r\n" + headers + "\r\n";
  }

  private static String post(String path, String headers, String body) {
    return "POST " + path + " HTTP/1.1\r\n" + HOST + KEY + headers + "Content-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  private String send(String request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), api.port())) {
      socket.setSoTimeout(100);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      return AdminSlowClientTest.readAvailable(socket, 5_000);
    }
  }
}
