package io.tycostream.triggers.admin;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers requests the HTTP layer could not parse (the server's {@code invalidRequestHandler}): a request line over
 * {@link AdminVerticle#MAX_REQUEST_LINE_BYTES} is 414 {@code uri_too_long}, headers over
 * {@link AdminVerticle#MAX_HEADER_BYTES} 431 {@code headers_too_large}, anything else 400 {@code malformed_request},
 * all in the {@link ApiError} shape with a request id; then the connection is closed, as its remaining bytes cannot
 * be trusted to frame a next request. Such a request never reaches the router (no route, no Host check).
 */
final class InvalidRequestAnswer {

  private static final Logger LOG = LoggerFactory.getLogger(InvalidRequestAnswer.class);

  private InvalidRequestAnswer() {
  }

  static void answer(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    ServiceException problem;
    if (cause instanceof TooLongHttpLineException) {
      problem = new ServiceException(ErrorCode.URI_TOO_LONG, "the request line is longer than "
          + AdminVerticle.MAX_REQUEST_LINE_BYTES + " bytes");
    } else if (cause instanceof TooLongHttpHeaderException) {
      problem = new ServiceException(ErrorCode.HEADERS_TOO_LARGE, "the request headers are larger than "
          + AdminVerticle.MAX_HEADER_BYTES + " bytes");
    } else {
      problem = new ServiceException(ErrorCode.MALFORMED_REQUEST, "the request is not well-formed HTTP/1.1");
    }
    String requestId = RequestIds.generate();
    LOG.debug("invalid admin request [request: {}, status: {}, reason: {}]", requestId,
        problem.code().httpStatus(), String.valueOf(cause));
    ApiError error = ApiError.of(problem);
    request.response().setStatusCode(error.status())
        .putHeader("content-type", "application/json; charset=utf-8")
        .putHeader("connection", "close")
        .putHeader(RequestIds.HEADER, requestId)
        .end(TriggerRoutes.errorBody(error, requestId).toBuffer())
        .onComplete(sent -> request.connection().close());
  }
}
