package io.tycostream.triggers.bus;

import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.SourceSnapshot;
import io.tycostream.triggers.source.SourceSnapshotException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * Both ends of a snapshot request on {@link BusAddresses#snapshot(String)}: the failure codes a source replies with
 * (HTTP-like, one per way a snapshot can fail) and a requester that turns them back into a
 * {@link SourceSnapshotException} with its {@link FailureKind}. Stateless and thread-safe.
 */
public final class SnapshotRequests {

  /** The request body is not a positive decimal frontier. */
  public static final int BAD_FRONTIER = 400;
  /** The view (or its cluster) is gone. */
  public static final int OBJECT_DROPPED = 404;
  /** The view's key is not unique. */
  public static final int KEY_VIOLATION = 409;
  /** The frontier is older than the source retains: take the snapshot at a newer frontier. */
  public static final int HISTORY_LOST = 410;
  /** Anything else the source could not handle. */
  public static final int FAILED = 500;
  /** The source was unreachable, slow or not ready: retrying may help. */
  public static final int UNAVAILABLE = 503;

  private SnapshotRequests() {
  }

  /** The reply failure code for a snapshot that failed with {@code cause}. */
  public static int failureCode(Throwable cause) {
    if (cause instanceof IllegalArgumentException) {
      return BAD_FRONTIER;
    }
    if (!(cause instanceof SourceSnapshotException snapshot)) {
      return FAILED;
    }
    return switch (snapshot.kind()) {
      case HISTORY_LOST -> HISTORY_LOST;
      case KEY_VIOLATION -> KEY_VIOLATION;
      case OBJECT_DROPPED -> OBJECT_DROPPED;
      case TRANSIENT, FELL_BEHIND, CANCELED -> UNAVAILABLE;
      case FATAL -> FAILED;
    };
  }

  /** The failure kind a reply code stands for (the inverse of {@link #failureCode}, as far as it goes). */
  public static FailureKind kindOf(int failureCode) {
    return switch (failureCode) {
      case HISTORY_LOST -> FailureKind.HISTORY_LOST;
      case KEY_VIOLATION -> FailureKind.KEY_VIOLATION;
      case OBJECT_DROPPED -> FailureKind.OBJECT_DROPPED;
      case UNAVAILABLE -> FailureKind.TRANSIENT;
      default -> FailureKind.FATAL;
    };
  }

  /**
   * Asks {@code source}'s verticle for its snapshot at {@code frontier}, waiting
   * {@link BusAddresses#SOURCE_SNAPSHOT_TIMEOUT}.
   */
  public static Future<SourceSnapshot> request(EventBus eventBus, String source, BigInteger frontier) {
    return request(eventBus, source, frontier, BusAddresses.SOURCE_SNAPSHOT_TIMEOUT);
  }

  /**
   * Asks {@code source}'s verticle for its snapshot at {@code frontier}. Fails with a {@link SourceSnapshotException}:
   * the source's own classification, or {@link FailureKind#TRANSIENT} when no verticle answered in time.
   */
  public static Future<SourceSnapshot> request(EventBus eventBus, String source, BigInteger frontier,
                                               Duration timeout) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(frontier, "frontier");
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    return eventBus.<SourceSnapshot>request(BusAddresses.snapshot(source), frontier.toString(), options)
        .map(Message::body)
        .recover(failure -> Future.failedFuture(toSnapshotException(source, failure)));
  }

  private static SourceSnapshotException toSnapshotException(String source, Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return new SourceSnapshotException(source, kindOf(reply.failureCode()), null, reply.getMessage(), reply);
    }
    return new SourceSnapshotException(source, FailureKind.TRANSIENT, null, "no snapshot from source " + source
        + ": " + failure.getMessage(), failure);
  }
}
