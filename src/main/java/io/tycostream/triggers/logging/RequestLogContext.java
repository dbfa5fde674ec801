package io.tycostream.triggers.logging;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

/**
 * Carries an admin request's id to every line logged while that request is handled, however many asynchronous steps
 * it takes. Vert.x runs each HTTP request on a duplicated context of its own, and callbacks of the futures a handler
 * composes come back to that context; the id is kept in the context's local data (never shared with other
 * requests) and {@link RequestIdMdc} copies it into the MDC as {@value #REQUEST_ID} when a line is logged.
 * Thread-safe.
 */
public final class RequestLogContext {

  /** The MDC key (and JSON field) of the request id. */
  public static final String REQUEST_ID = "request_id";
  private static final Object KEY = RequestLogContext.class.getName() + ".requestId";

  private RequestLogContext() {
  }

  /**
   * Binds {@code requestId} to the request being handled on the calling thread; does nothing outside a duplicated
   * Vert.x context (an event loop's own context is shared by every request).
   */
  public static void bind(String requestId) {
    ContextInternal context = requestContext();
    if (context != null) {
      context.putLocal(KEY, requestId);
    }
  }

  /** The request id bound to the calling thread's request, or {@code null}. */
  public static String current() {
    ContextInternal context = requestContext();
    return context == null ? null : context.getLocal(KEY);
  }

  private static ContextInternal requestContext() {
    Context context = Vertx.currentContext();
    return context instanceof ContextInternal internal && internal.isDuplicate() ? internal : null;
  }
}
