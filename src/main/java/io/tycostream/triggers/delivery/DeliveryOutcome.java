package io.tycostream.triggers.delivery;

import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * What one delivery attempt means for its event: delivered, or to be retried, with a short reason for the
 * attempt record.
 * <p>
 * Only a {@code 2xx} response delivers. <b>Every other response and every transport error is retried</b> until
 * the {@link RetryPolicy} is spent, as the Standard Webhooks specification, Stripe and Svix do. A {@code 404} or
 * {@code 401} is usually a receiver mid-deploy or a configuration slip that is fixed within the retry window;
 * dropping the event on the first {@code 4xx} would lose it for a mistake, while retrying a truly permanent
 * {@code 4xx} costs a bounded number of requests before the event reaches the dead-letter queue, from where it
 * can be replayed. Redirects ({@code 3xx}) are not followed and are failures (the URL should be updated).
 * Timeouts are retried too even though the receiver may have processed the request: receivers deduplicate on
 * {@code event_id}.
 * <p>
 * {@link #signal()} carries the specification's advice that is not a retry decision: {@code 429}, {@code 502},
 * {@code 503} and {@code 504} ask the sender to slow down; {@code 410 Gone} says the receiver wants no more
 * webhooks (whether to disable the endpoint is the caller's decision). Immutable and thread-safe.
 */
public final class DeliveryOutcome {

  /** Whether the event leaves the outbox. */
  public enum Verdict {
    /** A {@code 2xx} was received: record it and remove the event from the outbox. */
    DELIVERED,
    /** Schedule the next attempt, or dead-letter the event if the retry policy is spent. */
    RETRY
  }

  /** Advice from the receiver beyond the verdict. */
  public enum Signal {
    NONE,
    /** The receiver is overloaded or rate-limiting: throttle this endpoint. */
    SLOW_DOWN,
    /** {@code 410 Gone}: the receiver asks to stop sending. */
    ENDPOINT_GONE
  }

  private static final int MAX_MESSAGE_CHARS = 200;
  private static final int MAX_CAUSE_DEPTH = 16;

  private final Verdict verdict;
  private final Integer httpStatus;
  private final String reason;
  private final Signal signal;
  private final Duration retryAfter;
  private final String responseExcerpt;

  private DeliveryOutcome(Verdict verdict, Integer httpStatus, String reason, Signal signal, Duration retryAfter) {
    this(verdict, httpStatus, reason, signal, retryAfter, null);
  }

  private DeliveryOutcome(Verdict verdict, Integer httpStatus, String reason, Signal signal, Duration retryAfter,
                          String responseExcerpt) {
    this.verdict = verdict;
    this.httpStatus = httpStatus;
    this.reason = reason;
    this.signal = signal;
    this.retryAfter = retryAfter;
    this.responseExcerpt = responseExcerpt;
  }

  /** This outcome with the first bytes of the answer's body, as text, for the attempt record. */
  public DeliveryOutcome withResponseExcerpt(String excerpt) {
    return new DeliveryOutcome(verdict, httpStatus, reason, signal, retryAfter, excerpt);
  }

  /** The start of the answer's body as text, {@code null} when no answer arrived or none was kept. */
  public String responseExcerpt() {
    return responseExcerpt;
  }

  /**
   * Classifies a response without a {@code Retry-After} header.
   *
   * @throws IllegalArgumentException if {@code status} is not in 100..599
   */
  public static DeliveryOutcome ofResponse(int status) {
    return ofResponse(status, null, Instant.EPOCH);
  }

  /**
   * Classifies a response. {@code retryAfterHeader} (delay-seconds or an HTTP-date, may be {@code null}) is
   * reported as {@link #retryAfter()} for non-{@code 2xx} responses; an HTTP-date is measured from {@code now}
   * and a date in the past means no wait. A malformed value is ignored.
   *
   * @throws IllegalArgumentException if {@code status} is not in 100..599
   */
  public static DeliveryOutcome ofResponse(int status, String retryAfterHeader, Instant now) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be an HTTP status code (100..599), was " + status);
    }
    if (status >= 200 && status < 300) {
      return new DeliveryOutcome(Verdict.DELIVERED, status, "HTTP " + status + ": delivered", Signal.NONE, null);
    }
    Signal signal = switch (status) {
      case 429, 502, 503, 504 -> Signal.SLOW_DOWN;
      case 410 -> Signal.ENDPOINT_GONE;
      default -> Signal.NONE;
    };
    Duration retryAfter = parseRetryAfter(retryAfterHeader, Objects.requireNonNull(now, "now"));
    return new DeliveryOutcome(Verdict.RETRY, status, "HTTP " + status + ": " + describe(status), signal,
        retryAfter);
  }

  /** Classifies an attempt that got no response: connect failure, timeout, TLS or connection error. */
  public static DeliveryOutcome ofFailure(Throwable error) {
    Objects.requireNonNull(error, "error");
    return new DeliveryOutcome(Verdict.RETRY, null, describe(error), Signal.NONE, null);
  }

  public Verdict verdict() {
    return verdict;
  }

  public boolean isDelivered() {
    return verdict == Verdict.DELIVERED;
  }

  /** The response status, empty when no response arrived. */
  public OptionalInt httpStatus() {
    return httpStatus == null ? OptionalInt.empty() : OptionalInt.of(httpStatus);
  }

  /** A short, human-readable reason for the attempt record, e.g. {@code HTTP 503: server error}. */
  public String reason() {
    return reason;
  }

  public Signal signal() {
    return signal;
  }

  /** The wait the receiver asked for with {@code Retry-After}, if any. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public String toString() {
    return "DeliveryOutcome[" + verdict + ", " + reason + (signal == Signal.NONE ? "" : ", " + signal)
        + (retryAfter == null ? "" : ", retry after " + retryAfter) + "]";
  }

  private static String describe(int status) {
    if (status < 200) {
      return "informational response is not an acknowledgement";
    }
    if (status < 400) {
      return "redirects are not followed, update the webhook URL";
    }
    return switch (status) {
      case 408 -> "receiver timed out reading the request";
      case 410 -> "endpoint gone, receiver asks to stop sending";
      case 429 -> "rate limited by receiver";
      default -> status < 500 ? "rejected by receiver" : "receiver error";
    };
  }

  private static String describe(Throwable error) {
    Throwable cause = error;
    for (int depth = 0; cause != null && depth < MAX_CAUSE_DEPTH; depth++, cause = cause.getCause()) {
      String kind = kindOf(cause);
      if (kind != null) {
        // a TLS failure's own message is generic ("Failed to create SSL connection"); its root cause says which
        // certificate check failed (untrusted issuer, host name mismatch, expired)
        return kind + detail(cause instanceof SSLException ? rootCause(cause) : cause);
      }
    }
    return "request failed: " + error.getClass().getSimpleName() + detail(error);
  }

  private static Throwable rootCause(Throwable error) {
    Throwable root = error;
    for (int depth = 0; root.getCause() != null && depth < MAX_CAUSE_DEPTH; depth++) {
      root = root.getCause();
    }
    return root.getMessage() == null || root.getMessage().isBlank() ? error : root;
  }

  private static String kindOf(Throwable cause) {
    // Netty's ConnectTimeoutException is a ConnectException, so look for "timeout" in the name first
    boolean namedTimeout = cause.getClass().getSimpleName().toLowerCase(Locale.ROOT).contains("timeout");
    if (cause instanceof ConnectException) {
      return namedTimeout ? "connect timeout" : "connection refused";
    }
    if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException || namedTimeout) {
      return "timeout";
    }
    if (cause instanceof UnknownHostException) {
      return "unknown host";
    }
    if (cause instanceof SSLException) {
      return "tls error";
    }
    if (cause instanceof IOException || cause instanceof HttpClosedException) {
      return "connection error";
    }
    return null;
  }

  private static String detail(Throwable cause) {
    String message = cause.getMessage();
    if (message == null || message.isBlank()) {
      return "";
    }
    String oneLine = message.strip().replaceAll("\\s+", " ");
    return ": " + (oneLine.length() > MAX_MESSAGE_CHARS ? oneLine.substring(0, MAX_MESSAGE_CHARS) + "…" : oneLine);
  }

  private static Duration parseRetryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.strip();
    if (value.chars().allMatch(Character::isDigit)) {
      return value.length() > 9 ? null : Duration.ofSeconds(Long.parseLong(value));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
    } catch (DateTimeParseException malformed) {
      return null;
    }
  }
}
