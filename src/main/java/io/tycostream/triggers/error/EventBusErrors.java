package io.tycostream.triggers.error;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The event-bus boundary of {@link ServiceException}: a consumer fails a request with {@link #fail(Message, Throwable)}
 * (failure code = the HTTP status, message = the JSON error shape), and a requester turns the reply failure back into
 * the same {@link ServiceException} with {@link #toServiceException(Throwable, String)}; a timeout or a missing
 * consumer becomes {@link ErrorCode#UNAVAILABLE}. Stateless and thread-safe.
 */
public final class EventBusErrors {

  private EventBusErrors() {
  }

  /** Fails {@code request} with {@code failure} in the JSON error shape. */
  public static void fail(Message<?> request, Throwable failure) {
    ServiceException error = ServiceException.of(failure);
    JsonObject body = new JsonObject()
        .put("code", error.code().code())
        .put("message", error.getMessage())
        .put("field", error.field());
    request.fail(error.code().httpStatus(), body.encode());
  }

  /**
   * The service exception a bus request failed with: the consumer's own (as sent by {@link #fail}), or
   * {@link ErrorCode#UNAVAILABLE} saying that {@code what} did not answer.
   *
   * @param what names the consumer in messages, e.g. {@code source 'orders'}
   */
  public static ServiceException toServiceException(Throwable failure, String what) {
    if (failure instanceof ServiceException known) {
      return known;
    }
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        return fromRecipient(reply);
      }
      String reason = reply.failureType() == ReplyFailure.TIMEOUT ? "did not answer in time" : "is not running";
      return new ServiceException(ErrorCode.UNAVAILABLE, what + " " + reason, null, reply);
    }
    return new ServiceException(ErrorCode.UNAVAILABLE, what + " failed: " + failure.getMessage(), null, failure);
  }

  private static ServiceException fromRecipient(ReplyException reply) {
    try {
      JsonObject body = new JsonObject(String.valueOf(reply.getMessage()));
      return new ServiceException(ErrorCode.fromCode(body.getString("code")),
          String.valueOf(body.getString("message")), body.getString("field"));
    } catch (DecodeException | ClassCastException notOurs) {
      // a consumer that failed the message itself (not through fail()): keep its text
      return new ServiceException(ErrorCode.INTERNAL, String.valueOf(reply.getMessage()), null, reply);
    }
  }
}
