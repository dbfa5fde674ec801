package io.tycostream.triggers.delivery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * A minimal HTTP/1.1 receiver on 127.0.0.1 that resets connections: with {@code SO_LINGER 0} a close sends a TCP RST
 * instead of a FIN, which the client sees as "Connection reset". Requests for which {@code resetRequest} holds (by
 * 1-based arrival number) are read completely and answered with a reset; the others get {@code 204} on a kept-alive
 * connection, which {@link #resetOpenConnections()} can later reset while the client holds it idle in its pool.
 * <p>
 * Thread-safe: counters are read from the test thread while the server's event loop updates them.
 */
final class ResettingWebhookReceiver {

  private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final Buffer NO_CONTENT = Buffer.buffer("HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n");

  private final IntPredicate resetRequest;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private NetServer server;

  private ResettingWebhookReceiver(IntPredicate resetRequest) {
    this.resetRequest = resetRequest;
  }

  /** Starts a receiver on an ephemeral loopback port. */
  static Future<ResettingWebhookReceiver> start(Vertx vertx, IntPredicate resetRequest) {
    ResettingWebhookReceiver receiver = new ResettingWebhookReceiver(resetRequest);
    return vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0).setSoLinger(0))
      .connectHandler(receiver::accept)
      .listen()
      .map(server -> {
        receiver.server = server;
        return receiver;
      });
  }

  private void accept(NetSocket socket) {
    connections.incrementAndGet();
    open.add(socket);
    socket.closeHandler(closed -> open.remove(socket));
    // the bytes of this connection not yet consumed as a request; touched on the socket's event loop only
    Buffer[] pending = {Buffer.buffer()};
    socket.handler(data -> {
      pending[0].appendBuffer(data);
      // one iteration per complete request in the buffer; the buffer shrinks each time
      for (int length = requestLength(pending[0]); length > 0; length = requestLength(pending[0])) {
        pending[0] = pending[0].getBuffer(length, pending[0].length());
        if (resetRequest.test(requests.incrementAndGet())) {
          socket.close();
          return;
        }
        socket.write(NO_CONTENT);
      }
    });
  }

  /** The length of the first complete request (headers and content-length body) in {@code data}, else 0. */
  private static int requestLength(Buffer data) {
    byte[] bytes = data.getBytes();
    int headerEnd = indexOf(bytes, HEADER_END);
    if (headerEnd < 0) {
      return 0;
    }
    int bodyLength = 0;
    String head = new String(bytes, 0, headerEnd, StandardCharsets.US_ASCII);
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        bodyLength = Integer.parseInt(line.substring("content-length:".length()).strip());
      }
    }
    int total = headerEnd + HEADER_END.length + bodyLength;
    return bytes.length >= total ? total : 0;
  }

  private static int indexOf(byte[] bytes, byte[] needle) {
    for (int i = 0; i + needle.length <= bytes.length; i++) {
      int matched = 0;
      while (matched < needle.length && bytes[i + matched] == needle[matched]) {
        matched++;
      }
      if (matched == needle.length) {
        return i;
      }
    }
    return -1;
  }

  /** Resets every connection still open, e.g. one the client keeps idle for its next request. */
  Future<Void> resetOpenConnections() {
    List<Future<Void>> closed = new ArrayList<>();
    open.forEach(socket -> closed.add(socket.close()));
    return Future.all(closed).mapEmpty();
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  /** {@code http://127.0.0.1:<port>}, as delivery names the endpoint. */
  String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Complete requests read so far, reset or answered. */
  int requestCount() {
    return requests.get();
  }

  /** Connections accepted so far. */
  int connectionCount() {
    return connections.get();
  }

  Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
