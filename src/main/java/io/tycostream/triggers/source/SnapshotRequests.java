package io.tycostream.triggers.source;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.EventBusErrors;
import io.tycostream.triggers.error.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Both ends of a fresh-snapshot request on {@link BusAddresses#snapshot(String)}: a trigger's baseline asks its
 * source's reader for {@link ChangeSource#snapshotAtLeast a snapshot no older than a frontier}. The body is that
 * frontier as a decimal string (or empty for "the newest"); the reply is the {@code SourceSnapshot} (local codec) or
 * a failure in the service's error shape ({@link EventBusErrors}), turned back into a
 * {@link SourceSnapshotException} with its {@link FailureKind}. Stateless and thread-safe.
 */
public final class SnapshotRequests {

  private SnapshotRequests() {
  }

  /**
   * Asks {@code source}'s reader for a fresh snapshot whose frontier is at least {@code notBefore}. Fails with a
   * {@link SourceSnapshotException}: the source's own classification, or {@link FailureKind#TRANSIENT} when no reader
   * answered in time.
   *
   * @param notBefore the lowest acceptable frontier, or {@code null} for the newest
   */
  public static Future<SourceSnapshot> request(EventBus eventBus, String source, BigInteger notBefore,
                                               Duration timeout) {
    Objects.requireNonNull(source, "source");
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    return eventBus.<SourceSnapshot>request(BusAddresses.snapshot(source),
            notBefore == null ? null : notBefore.toString(), options)
        .map(Message::body)
        .recover(failure -> Future.failedFuture(toSnapshotException(source, failure)));
  }

  /**
   * Answers one request with {@code snapshots} (the reader's {@link ChangeSource#snapshotAtLeast}); a body that is not
   * a positive decimal frontier is refused with {@link ErrorCode#INVALID_FIELD}.
   */
  public static void answer(Message<Object> request, Function<BigInteger, Future<SourceSnapshot>> snapshots) {
    BigInteger notBefore;
    try {
      notBefore = parseFrontier(request.body());
    } catch (IllegalArgumentException e) {
      EventBusErrors.fail(request, new ServiceException(ErrorCode.INVALID_FIELD, e.getMessage(), "frontier"));
      return;
    }
    snapshots.apply(notBefore).onComplete(result -> {
      if (result.succeeded()) {
        request.reply(result.result());
      } else {
        EventBusErrors.fail(request, result.cause());
      }
    });
  }

  private static SourceSnapshotException toSnapshotException(String source, Throwable failure) {
    if (failure instanceof SourceSnapshotException known) {
      return known;
    }
    ServiceException error = EventBusErrors.toServiceException(failure, "the reader of source '" + source + "'");
    return new SourceSnapshotException(source, SourceSnapshotException.kindOf(error.code()), null, error.getMessage(),
        failure);
  }

  /** A frontier sent as a decimal string (or nothing, for the newest). */
  private static BigInteger parseFrontier(Object body) {
    if (body == null) {
      return null;
    }
    if (!(body instanceof String text)) {
      throw new IllegalArgumentException("a frontier must be sent as a decimal string, got "
          + body.getClass().getSimpleName());
    }
    BigInteger frontier;
    try {
      frontier = new BigInteger(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("frontier '" + text + "' is not a decimal number");
    }
    if (frontier.signum() <= 0) {
      throw new IllegalArgumentException("frontier " + frontier + " is not positive");
    }
    return frontier;
  }
}
