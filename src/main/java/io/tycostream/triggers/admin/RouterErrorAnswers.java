package io.tycostream.triggers.admin;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The refusals the router itself makes before any route runs, in the {@link ApiError} shape like every other 4xx:
 * {@code 400} for a path whose percent-escapes do not decode ({@code /api/v1/triggers/%zz}) or an HTTP/1.1 request
 * without a {@code Host} header, and {@code 417} for an {@code Expect} header other than {@code 100-continue}. Without
 * these handlers Vert.x answers them in plain text and logs the 400s at ERROR with a stack trace; here each leaves one
 * DEBUG line ({@link TriggerRoutes#fail}). The router's 404, 405 and 413 are answered in {@link AdminVerticle}.
 */
final class RouterErrorAnswers {

  private RouterErrorAnswers() {
  }

  static void mount(Router router) {
    router.errorHandler(400, ctx -> answer(ctx, new ServiceException(ErrorCode.MALFORMED_REQUEST, reason(ctx))));
    router.errorHandler(417, ctx -> answer(ctx, new ServiceException(ErrorCode.EXPECTATION_FAILED,
        "only 'Expect: 100-continue' is supported")));
  }

  private static void answer(RoutingContext ctx, ServiceException problem) {
    // the router may refuse before RequestIds ran (no Host header): the answer still names its id
    if (ctx.response().headers().get(RequestIds.HEADER) == null && !ctx.response().headWritten()) {
      String requestId = RequestIds.of(ctx);
      ctx.put(RequestIds.KEY, requestId);
      ctx.response().putHeader(RequestIds.HEADER, requestId);
    }
    TriggerRoutes.fail(ctx, problem);
  }

  private static String reason(RoutingContext ctx) {
    // Vert.x gives no cause for a path that does not decode, and names a missing Host header
    Throwable failure = ctx.failure();
    return failure == null || failure.getMessage() == null ? "the request is malformed (a path that does not decode?)"
        : "the request is malformed: " + failure.getMessage();
  }
}
