package io.tycostream.triggers.admin;

import io.tycostream.triggers.logging.RequestLogContext;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every admin request an id, answered in the {@value #HEADER} response header, in the error body
 * ({@code error.request_id}) and in the one log line a failed request may leave, so an operator can match a client's
 * report with the log. A client's own {@value #HEADER} is kept when it is short and plain; otherwise an id is
 * generated (random, not a secret). The id is also bound to the request's Vert.x context ({@link RequestLogContext}), so
 * every line logged while the request is handled carries it as {@code request_id}. Stateless.
 */
final class RequestIds {

  static final String HEADER = "X-Request-Id";
  static final String KEY = "request_id";
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private RequestIds() {
  }

  /** The first handler of the router: assigns the id and answers it in the response header. */
  static void assign(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id = given != null && CLIENT_ID.matcher(given).matches() ? given : generate();
    ctx.put(KEY, id);
    RequestLogContext.bind(id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  /** The id of this request, or a fresh one when the router's first handler has not run. */
  static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id != null ? id : generate();
  }

  static String generate() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
  }
}
