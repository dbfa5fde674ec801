package io.tycostream.triggers.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tycostream.triggers.delivery.DeliveryOutcome.Signal;
import io.tycostream.triggers.delivery.DeliveryOutcome.Verdict;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies that attempt results are classified as delivered or retried, with a reason fit for the record. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeliveryOutcomeTest {

  private static final Instant NOW = Instant.parse("2026-01-15T10:30:45Z");

  /** Verifies that every 2xx status delivers and nothing else does. */
  @Test
  void onlyTwoHundredsDeliver() {
    // GIVEN every valid status / WHEN classified / THEN delivered exactly for 200..299
    for (int status = 100; status <= 599; status++) {
      DeliveryOutcome outcome = DeliveryOutcome.ofResponse(status);
      assertThat(outcome.verdict()).as("status %d", status)
          .isEqualTo(status >= 200 && status <= 299 ? Verdict.DELIVERED : Verdict.RETRY);
      assertThat(outcome.httpStatus()).hasValue(status);
      assertThat(outcome.reason()).startsWith("HTTP " + status + ": ");
    }
  }

  /** Verifies the reasons and signals a user sees for the common failure statuses. */
  @Test
  void explainsCommonStatuses() {
    // GIVEN / WHEN typical responses are classified / THEN reason and signal say what happened
    assertThat(DeliveryOutcome.ofResponse(204).reason()).isEqualTo("HTTP 204: delivered");
    assertThat(DeliveryOutcome.ofResponse(301).reason()).contains("redirects are not followed");
    assertThat(DeliveryOutcome.ofResponse(404).reason()).isEqualTo("HTTP 404: rejected by receiver");
    assertThat(DeliveryOutcome.ofResponse(404).signal()).isEqualTo(Signal.NONE);
    assertThat(DeliveryOutcome.ofResponse(408).reason()).contains("timed out");
    assertThat(DeliveryOutcome.ofResponse(410).signal()).isEqualTo(Signal.ENDPOINT_GONE);
    assertThat(DeliveryOutcome.ofResponse(429).signal()).isEqualTo(Signal.SLOW_DOWN);
    assertThat(DeliveryOutcome.ofResponse(500).reason()).isEqualTo("HTTP 500: receiver error");
    assertThat(DeliveryOutcome.ofResponse(500).signal()).isEqualTo(Signal.NONE);
    for (int status : new int[] {502, 503, 504}) {
      assertThat(DeliveryOutcome.ofResponse(status).signal()).as("status %d", status).isEqualTo(Signal.SLOW_DOWN);
    }
  }

  /** Verifies that Retry-After is read in both of its forms and ignored when malformed. */
  @Test
  void readsRetryAfter() {
    // GIVEN 429/503 responses with Retry-After / WHEN classified / THEN the requested wait is reported
    assertThat(DeliveryOutcome.ofResponse(429, "120", NOW).retryAfter()).contains(Duration.ofSeconds(120));
    assertThat(DeliveryOutcome.ofResponse(503, "Thu, 15 Jan 2026 10:31:45 GMT", NOW).retryAfter())
        .contains(Duration.ofMinutes(1));
    assertThat(DeliveryOutcome.ofResponse(503, "Thu, 15 Jan 2026 10:00:00 GMT", NOW).retryAfter())
        .contains(Duration.ZERO);
    assertThat(DeliveryOutcome.ofResponse(503, "soon", NOW).retryAfter()).isEmpty();
    assertThat(DeliveryOutcome.ofResponse(503, null, NOW).retryAfter()).isEmpty();
    // a delivered attempt has nothing to wait for
    assertThat(DeliveryOutcome.ofResponse(200, "120", NOW).retryAfter()).isEmpty();
  }

  /** Verifies that transport failures are retried with a reason naming the kind of failure. */
  @Test
  void retriesTransportFailuresWithAReason() {
    // GIVEN typical client failures, some wrapped as Vert.x and Netty wrap them
    DeliveryOutcome refused = DeliveryOutcome.ofFailure(new ConnectException("Connection refused: /127.0.0.1:9"));
    DeliveryOutcome timeout = DeliveryOutcome.ofFailure(
        new RuntimeException("request failed", new TimeoutException("The timeout period of 30000ms has been exceeded")));
    DeliveryOutcome connectTimeout = DeliveryOutcome.ofFailure(new ConnectTimeoutException("connection timed out"));
    DeliveryOutcome dns = DeliveryOutcome.ofFailure(new UnknownHostException("hooks.invalid"));
    DeliveryOutcome tls = DeliveryOutcome.ofFailure(new SSLHandshakeException("PKIX path building failed"));
    DeliveryOutcome reset = DeliveryOutcome.ofFailure(new IOException("Connection reset by peer"));
    DeliveryOutcome closed = DeliveryOutcome.ofFailure(new HttpClosedException("Connection was closed"));
    DeliveryOutcome other = DeliveryOutcome.ofFailure(new IllegalStateException());

    // WHEN classified / THEN all are retried, without a status, with a readable reason
    assertThat(refused.reason()).isEqualTo("connection refused: Connection refused: /127.0.0.1:9");
    assertThat(timeout.reason()).isEqualTo("timeout: The timeout period of 30000ms has been exceeded");
    assertThat(connectTimeout.reason()).isEqualTo("connect timeout: connection timed out");
    assertThat(dns.reason()).isEqualTo("unknown host: hooks.invalid");
    assertThat(tls.reason()).isEqualTo("tls error: PKIX path building failed");
    assertThat(reset.reason()).isEqualTo("connection error: Connection reset by peer");
    assertThat(closed.reason()).isEqualTo("connection error: Connection was closed");
    assertThat(other.reason()).isEqualTo("request failed: IllegalStateException");
    for (DeliveryOutcome outcome : new DeliveryOutcome[] {refused, timeout, connectTimeout, dns, tls, reset, closed,
        other}) {
      assertThat(outcome.verdict()).isEqualTo(Verdict.RETRY);
      assertThat(outcome.isDelivered()).isFalse();
      assertThat(outcome.httpStatus()).isEmpty();
    }
  }

  /** Verifies that a long multi-line error message is kept to one short line in the reason. */
  @Test
  void keepsReasonsShort() {
    // GIVEN an error with a long, multi-line message
    String message = "first line\n" + "x".repeat(5_000);

    // WHEN classified
    String reason = DeliveryOutcome.ofFailure(new IOException(message)).reason();

    // THEN the reason is one line and bounded
    assertThat(reason).doesNotContain("\n").hasSizeLessThan(250).startsWith("connection error: first line x");
  }

  /** Verifies that impossible statuses are refused. */
  @Test
  void refusesInvalidStatus() {
    // GIVEN / WHEN / THEN
    assertThatThrownBy(() -> DeliveryOutcome.ofResponse(99)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("status");
    assertThatThrownBy(() -> DeliveryOutcome.ofResponse(600)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Stands in for Netty's io.netty.channel.ConnectTimeoutException, which is a ConnectException. */
  private static final class ConnectTimeoutException extends ConnectException {
    ConnectTimeoutException(String message) {
      super(message);
    }
  }
}
