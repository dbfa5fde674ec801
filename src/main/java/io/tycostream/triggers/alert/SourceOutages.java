package io.tycostream.triggers.alert;

import io.tycostream.triggers.source.SourceState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The open outages of the sources of this node and which alert endpoints were told of each: a source that is
 * neither {@link SourceState#CONNECTED} nor {@link SourceState#STOPPED} is out since its first such state. Decides
 * that each endpoint hears of an outage at most once ({@link #graceEnded}), and that a reconnect is reported only to
 * endpoints that heard of the outage. A stop on request ends an outage silently. Pure; not thread-safe (used on the
 * alerts verticle's event loop).
 */
final class SourceOutages {

  /** An outage: when it started, its last failure, and the endpoints it was reported to. */
  record Outage(String source, long startedAtMs, String failure, Set<String> reportedTo) {
  }

  private final Map<String, Outage> open = new HashMap<>();

  /**
   * A state change of {@code source}.
   *
   * @return the outage this change began (the caller starts the grace periods), or empty
   */
  Optional<Outage> stateChanged(String source, SourceState state, String failure, long nowMs) {
    if (state == SourceState.CONNECTED || state == SourceState.STOPPED) {
      return Optional.empty();
    }
    Outage current = open.get(source);
    if (current != null) {
      // still the same outage; keep the latest cause for the alert
      open.put(source, new Outage(source, current.startedAtMs(), failure, current.reportedTo()));
      return Optional.empty();
    }
    Outage started = new Outage(source, nowMs, failure, new HashSet<>());
    open.put(source, started);
    return Optional.of(started);
  }

  /**
   * Ends the outage of {@code source}, if any, on a connect or a stop.
   *
   * @return the ended outage with the endpoints that were told of it, or empty if none was open
   */
  Optional<Outage> ended(String source) {
    return Optional.ofNullable(open.remove(source));
  }

  /**
   * The grace period of {@code endpoint} for the outage that started at {@code startedAtMs} is over.
   *
   * @return the outage, if it is still open and {@code endpoint} was not told of it yet (it now counts as told)
   */
  Optional<Outage> graceEnded(String source, long startedAtMs, String endpoint) {
    Outage current = open.get(source);
    if (current == null || current.startedAtMs() != startedAtMs || !current.reportedTo().add(endpoint)) {
      return Optional.empty();
    }
    return Optional.of(current);
  }
}
