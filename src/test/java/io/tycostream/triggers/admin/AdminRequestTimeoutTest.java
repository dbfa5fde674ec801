package io.tycostream.triggers.admin;

import io.tycostream.triggers.config.AdminConfig;
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
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.admin.AdminSlowClientTest.closedWithin;
import static io.tycostream.triggers.admin.AdminSlowClientTest.readAvailable;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies {@code admin.request_timeout_ms} over raw sockets (client timeout 1 s, request timeout 1.5 s): a client
 * trickling its head or its body one byte at a time (so the idle timeout never fires) is cut off, while a keep-alive
 * client that waits between requests keeps its connection.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdminRequestTimeoutTest {

  private static final long CLIENT_TIMEOUT_MS = 1_000;
  private static final long REQUEST_TIMEOUT_MS = 1_500;
  private static final long TRICKLE_MS = 300;

  @TempDir
  Path dataDir;

  private AdminApiFixture api;

  @BeforeEach
  void start(Vertx vertx) {
    api = AdminApiFixture.start(vertx, dataDir, false, false, new AdminConfig("127.0.0.1", 0,
        AdminConfig.DEFAULT_READINESS_GRACE_MS, List.of(), CLIENT_TIMEOUT_MS, REQUEST_TIMEOUT_MS,
        AdminConfig.DEFAULT_MAX_TRIGGERS, AdminConfig.DEFAULT_MAX_TRIGGERS_PER_SOURCE, List.of()));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  /** Verifies that a head trickled one byte at a time is cut off, at the latest after idle plus request timeout. */
  @Test
  void closesAConnectionTricklingItsHead() throws Exception {
    try (Socket socket = connect()) {
      // GIVEN a request line, then a header sent one byte every 300 ms
      OutputStream out = socket.getOutputStream();
      out.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();

      // WHEN it keeps trickling THEN the server closes the connection within idle + request timeout (and slack)
      boolean closed = false;
      while (!closed && elapsedMs(start) < CLIENT_TIMEOUT_MS + REQUEST_TIMEOUT_MS + 2_000) {
        try {
          out.write('x');
          out.flush();
        } catch (IOException reset) {
          closed = true;
          break;
        }
        closed = closedWithin(socket, TRICKLE_MS);
      }
      // (Vert.x 5.0.7's idle timeout already fires here: bytes of an unfinished head do not count as traffic; the
      // head deadline is the backstop. Bytes of a body do count, see the next test.)
      assertThat(closed).isTrue();
      assertThat(elapsedMs(start)).isGreaterThanOrEqualTo(CLIENT_TIMEOUT_MS - 200);
    }
  }

  /** Verifies that a body trickled one byte at a time is answered 408 in the error shape and the connection closed. */
  @Test
  void answersATrickledBody408() throws Exception {
    try (Socket socket = connect()) {
      // GIVEN a trigger creation announcing 1,000 bytes of body, sent one byte every 300 ms
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + TriggerRoutes.TRIGGERS + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Authorization: " + TestApiKeys.AUTHORIZATION + "\r\nContent-Length: 1000\r\n\r\n{")
          .getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();
      StringBuilder answer = new StringBuilder();
      while (answer.length() == 0 && elapsedMs(start) < REQUEST_TIMEOUT_MS + 2_000) {
        try {
          out.write(' ');
          out.flush();
        } catch (IOException reset) {
          break;
        }
        answer.append(readAvailable(socket, TRICKLE_MS));
      }

      // THEN after the request timeout it is answered 408 request_timeout, and the connection is closed
      assertThat(answer.toString()).startsWith("HTTP/1.1 408");
      String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
      assertThat(new JsonObject(body).getJsonObject("error").getString("code")).isEqualTo("request_timeout");
      assertThat(elapsedMs(start)).isGreaterThanOrEqualTo(REQUEST_TIMEOUT_MS - 100);
      assertThat(closedWithin(socket, 2_000)).isTrue();
    }
  }

  /** Verifies that a keep-alive client pausing between requests keeps its connection past the request timeout. */
  @Test
  void keepsAKeepAliveConnectionBetweenRequests() throws Exception {
    try (Socket socket = connect()) {
      // GIVEN three requests on one connection, 800 ms apart (2.4 s in all, past the request timeout)
      for (int i = 0; i < 3; i++) {
        socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));

        // THEN each is answered 200
        assertThat(readAvailable(socket, 2_000)).startsWith("HTTP/1.1 200");
        Thread.sleep(800);
      }
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), api.port());
    socket.setSoTimeout(100);
    return socket;
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
