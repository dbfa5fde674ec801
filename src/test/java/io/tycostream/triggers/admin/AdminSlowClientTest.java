package io.tycostream.triggers.admin;

import static io.tycostream.triggers.testkit.Blocking.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.config.AdminConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Verifies the admin server against clients that misbehave at the HTTP level, over raw sockets on loopback: a
 * connection that sends nothing and an idle keep-alive connection (each closed after the client timeout without
 * traffic, here 1 s), and a request line or headers over the limits (answered 414 / 431 in the error shape).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdminSlowClientTest {

  private static final long CLIENT_TIMEOUT_MS = 1_000;

  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    AdminVerticle admin = new AdminVerticle(new AdminConfig("127.0.0.1", 0, AdminConfig.DEFAULT_READINESS_GRACE_MS,
        List.of(), CLIENT_TIMEOUT_MS), List.of(), () -> true);
    await(vertx.deployVerticle(admin));
    port = admin.actualPort();
  }

  /** Verifies that a connection that sends nothing is closed in time. */
  @Test
  void closesAConnectionThatSendsNothing() throws Exception {
    try (Socket socket = connect()) {
      long start = System.nanoTime();
      assertThat(closedWithin(socket, CLIENT_TIMEOUT_MS + 2_000)).isTrue();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(
          CLIENT_TIMEOUT_MS - 200);
    }
  }

  /** Verifies that a keep-alive connection is answered, then closed once idle for the client timeout. */
  @Test
  void answersThenClosesAnIdleKeepAliveConnection() throws Exception {
    try (Socket socket = connect()) {
      // GIVEN a complete request on a keep-alive connection
      socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(
          StandardCharsets.US_ASCII));

      // THEN it is answered 200
      String answer = readAvailable(socket, 2_000);
      assertThat(answer).startsWith("HTTP/1.1 200");

      // AND WHEN nothing more is sent THEN the server closes the connection after about the client timeout
      assertThat(closedWithin(socket, CLIENT_TIMEOUT_MS + 2_000)).isTrue();
    }
  }

  /** Verifies the limits on the request line and the headers, answered in the JSON error shape. */
  @Test
  void refusesOversizedRequestLinesAndHeaders() throws Exception {
    // GIVEN a URI past the request-line limit, and a header block past the header limit
    String longUri = "GET /api/v1/triggers?x=" + "a".repeat(AdminVerticle.MAX_REQUEST_LINE_BYTES)
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    String bigHeaders = "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
        + "b".repeat(AdminVerticle.MAX_HEADER_BYTES) + "\r\n\r\n";

    // WHEN each is sent THEN the answers are 414 and 431, in the error shape with a request id
    String uriAnswer = send(longUri);
    String headersAnswer = send(bigHeaders);
    assertThat(uriAnswer).matches("(?s)HTTP/1\\.[01] 414.*");
    assertThat(errorOf(uriAnswer).getString("code")).isEqualTo("uri_too_long");
    assertThat(headersAnswer).matches("(?s)HTTP/1\\.[01] 431.*");
    assertThat(errorOf(headersAnswer).getString("code")).isEqualTo("headers_too_large");
    assertThat(errorOf(headersAnswer).getString("request_id")).isNotBlank();
    // AND a request that is not HTTP at all is a 400 in the same shape
    String garbage = send("\u0001\u0002 nonsense\r\n\r\n");
    assertThat(garbage).matches("(?s)HTTP/1\\.[01] 400.*");
    assertThat(errorOf(garbage).getString("code")).isEqualTo("malformed_request");
  }

  private static JsonObject errorOf(String answer) {
    assertThat(answer).containsIgnoringCase("content-type: application/json");
    return new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)).getJsonObject("error");
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(100);
    return socket;
  }

  private String send(String request) throws IOException {
    try (Socket socket = connect()) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return readAvailable(socket, 3_000);
    }
  }

  /** Reads until the server closes or {@code limitMs} pass with nothing more to read after something was read. */
  static String readAvailable(Socket socket, long limitMs) throws IOException {
    StringBuilder text = new StringBuilder();
    InputStream in = socket.getInputStream();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMs);
    byte[] buffer = new byte[8_192];
    while (System.nanoTime() < deadline) {
      try {
        int read = in.read(buffer);
        if (read < 0) {
          break;
        }
        text.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
      } catch (SocketTimeoutException nothingYet) {
        if (text.indexOf("\r\n\r\n") >= 0 && bodyComplete(text)) {
          break;
        }
      }
    }
    return text.toString();
  }

  private static boolean bodyComplete(StringBuilder text) {
    String head = text.substring(0, text.indexOf("\r\n\r\n")).toLowerCase();
    int at = head.indexOf("content-length:");
    if (at < 0) {
      return true;
    }
    int length = Integer.parseInt(head.substring(at + 15).split("\r\n")[0].strip());
    return text.length() - text.indexOf("\r\n\r\n") - 4 >= length;
  }

  /** Whether the server closes the connection (end of stream or reset) within {@code limitMs}. */
  static boolean closedWithin(Socket socket, long limitMs) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMs);
    InputStream in = socket.getInputStream();
    while (System.nanoTime() < deadline) {
      try {
        if (in.read() < 0) {
          return true;
        }
      } catch (SocketTimeoutException stillOpen) {
        // keep waiting
      } catch (IOException reset) {
        return true;
      }
    }
    return false;
  }
}
