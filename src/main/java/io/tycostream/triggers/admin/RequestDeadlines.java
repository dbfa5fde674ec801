package io.tycostream.triggers.admin;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.Map;

/**
 * Bounds how long a client may take to send a request, however steadily it trickles bytes (the idle timeout resets
 * on every byte, so alone it never ends a connection that sends one byte a second):
 * <ul>
 *   <li><b>Head.</b> From the connection's start, and from the end of each response, the next request's head must be
 *       complete within {@code idleMs + requestTimeoutMs}: a legitimate client may first wait up to the idle timeout
 *       (the idle timeout closes it otherwise) and then has the request timeout to send its head. Else the connection
 *       is closed (there is no request to answer yet).</li>
 *   <li><b>Body.</b> From the head, the body must be complete within {@code requestTimeoutMs}; else the request is
 *       answered 408 {@code request_timeout} (when nothing was answered yet) and the connection closed.</li>
 * </ul>
 * The time the server takes to answer is not counted. HTTP/1.x; requests are handled one at a time per connection.
 * <p>
 * Threading: confined to the admin verticle's event loop (its server's connections, requests and router).
 */
final class RequestDeadlines {

  private final Vertx vertx;
  private final long headBudgetMs;
  private final long requestTimeoutMs;
  /** The head timer of each open connection that is waiting for a request. */
  private final Map<HttpConnection, Long> headTimers = new HashMap<>();

  RequestDeadlines(Vertx vertx, long idleMs, long requestTimeoutMs) {
    this.vertx = vertx;
    this.headBudgetMs = idleMs + requestTimeoutMs;
    this.requestTimeoutMs = requestTimeoutMs;
  }

  /** The server's connection handler: the first request's head is due. */
  void connected(HttpConnection connection) {
    awaitHead(connection);
    connection.closeHandler(closed -> cancelHead(connection));
  }

  /** Called with each request before the router: its head is here; its body is due within the request timeout. */
  void headReceived(HttpServerRequest request) {
    cancelHead(request.connection());
    long bodyTimer = vertx.setTimer(requestTimeoutMs, fired -> tooSlow(request));
    request.end().onComplete(received -> {
      vertx.cancelTimer(bodyTimer);
      if (request.response().ended()) {
        awaitHead(request.connection()); // answered before its body was in (a 413, a 404)
      }
    });
  }

  /** The router's first handler: once the response ends, the next request's head is due. */
  void watchResponse(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    ctx.addEndHandler(ended -> {
      if (!ctx.request().isEnded()) {
        return; // answered before its body was in: the head is due once it is (headReceived)
      }
      awaitHead(connection);
    });
    ctx.next();
  }

  private void awaitHead(HttpConnection connection) {
    cancelHead(connection);
    headTimers.put(connection, vertx.setTimer(headBudgetMs, fired -> {
      headTimers.remove(connection);
      connection.close();
    }));
  }

  private void cancelHead(HttpConnection connection) {
    Long timer = headTimers.remove(connection);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  private void tooSlow(HttpServerRequest request) {
    if (request.isEnded()) {
      return;
    }
    HttpConnection connection = request.connection();
    if (request.response().headWritten()) {
      connection.close();
      return;
    }
    String requestId = RequestIds.generate();
    ApiError error = ApiError.of(new ServiceException(ErrorCode.REQUEST_TIMEOUT, "the request was not complete within "
        + requestTimeoutMs + " ms (admin.request_timeout_ms)"));
    request.response().setStatusCode(error.status())
        .putHeader("content-type", "application/json; charset=utf-8")
        .putHeader("connection", "close")
        .putHeader(RequestIds.HEADER, requestId)
        .end(TriggerRoutes.errorBody(error, requestId).toBuffer())
        .onComplete(sent -> connection.close());
  }
}
