package io.tycostream.triggers.source;

import java.time.Instant;
import java.util.Objects;

/**
 * A classified failure of a source.
 *
 * @param kind     how it is handled
 * @param sqlState the server's SQLSTATE, or {@code null} when there was none (connection drop)
 * @param message  the server's or the client's message
 * @param at       when it happened
 */
public record SourceFailure(FailureKind kind, String sqlState, String message, Instant at) {

  public SourceFailure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(at, "at");
  }
}
