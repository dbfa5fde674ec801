package io.tycostream.triggers.metrics;

import java.util.Locale;

/**
 * What a delivery attempt came to, as the {@code outcome} label of {@code tycostream_delivery_attempts_total}: the
 * status class of an answer, or why there was none. A fixed set, so the label's cardinality stays bounded.
 */
public enum AttemptClass {
  /** An informational answer (not an acknowledgement). */
  STATUS_1XX("1xx"),
  /** Delivered. */
  STATUS_2XX("2xx"),
  /** A redirect (not followed). */
  STATUS_3XX("3xx"),
  STATUS_4XX("4xx"),
  STATUS_5XX("5xx"),
  /** No answer within the timeout (connect or response). */
  TIMEOUT("timeout"),
  /** The TLS handshake failed (untrusted certificate, host name mismatch). */
  TLS("tls"),
  /** Connection refused or reset, unknown host, another transport failure. */
  NETWORK("network"),
  /** Nothing was sent: the address is outside the allowed targets, https is required, the trigger is unusable. */
  NOT_SENT("not_sent"),
  /** Nothing was sent: the endpoint's circuit breaker was open (the attempt still spends the retry budget). */
  CIRCUIT_OPEN("circuit_open");

  private final String label;

  AttemptClass(String label) {
    this.label = label;
  }

  /** The label value. */
  public String label() {
    return label;
  }

  /** The class of an answer with {@code status}. */
  public static AttemptClass ofStatus(int status) {
    return switch (status / 100) {
      case 1 -> STATUS_1XX;
      case 2 -> STATUS_2XX;
      case 3 -> STATUS_3XX;
      case 4 -> STATUS_4XX;
      default -> STATUS_5XX;
    };
  }

  /**
   * The class of an attempt without an answer, from its recorded error (which starts with the failure's kind:
   * {@code timeout}, {@code connect timeout}, {@code tls error}, {@code connection refused}, ...).
   *
   * @param sent whether a request was attempted at all
   */
  public static AttemptClass ofFailure(String error, boolean sent) {
    if (!sent) {
      return NOT_SENT;
    }
    String text = error == null ? "" : error.toLowerCase(Locale.ROOT);
    if (text.startsWith("timeout") || text.startsWith("connect timeout")) {
      return TIMEOUT;
    }
    if (text.startsWith("tls error")) {
      return TLS;
    }
    return NETWORK;
  }
}
