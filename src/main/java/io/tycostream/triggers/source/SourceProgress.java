package io.tycostream.triggers.source;

import io.tycostream.triggers.metrics.SourceMeters;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether one source makes progress: what its reader reports (state, last failure, last frontier handed over) and
 * what its evaluator reports (the last committed frontier and when, a commit that keeps failing). The health check
 * reads it: a source is ready while its reader is connected (or retrying) and a frontier was committed within the
 * grace period; otherwise {@link #stall()} says why not — the view dropped, the connection partitioned, the store
 * full or read-only — instead of a 200 with the failure hidden in the body.
 * <p>
 * Thread-safe: the reader's and the evaluator's contexts write it, the admin's reads it. Every field is one
 * volatile value, so a reader sees each fact whole (not necessarily all facts of the same instant).
 * <p>
 * It also carries the source's {@link SourceMeters}: it feeds their state and lag gauges and counts reconnects, and
 * the evaluator records its commits there.
 */
public final class SourceProgress {

  /** How long a source may go without committing a frontier before it counts as not ready. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

  private final String source;
  private final Duration grace;
  private final Clock clock;
  private final Instant startedAt;
  private volatile SourceStatus reader;
  private volatile Commit lastCommit;
  private volatile Failure commitFailure;
  private volatile Runnable onFenced = () -> { };
  private final SourceMeters meters;
  /** Whether frontiers are wall-clock times (Materialize), so that the lag means something. */
  private final boolean wallClockFrontiers;

  private record Commit(BigInteger frontier, Instant at) {
  }

  private record Failure(String message, Instant since) {
  }

  /** A source tracked without metrics. */
  public SourceProgress(String source, Duration grace, Clock clock) {
    this(source, grace, clock, SourceMeters.unregistered(source), true);
  }

  /**
   * A source whose state and lag {@code meters} report from now on.
   *
   * @param wallClockFrontiers whether the source's frontiers are milliseconds since the epoch (a Materialize
   *                           {@code mz_timestamp}); without them (the load generator's logical time) the lag is NaN
   */
  public SourceProgress(String source, Duration grace, Clock clock, SourceMeters meters, boolean wallClockFrontiers) {
    this.source = Objects.requireNonNull(source, "source");
    this.grace = Objects.requireNonNull(grace, "grace");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.meters = Objects.requireNonNull(meters, "meters");
    this.wallClockFrontiers = wallClockFrontiers;
    this.startedAt = clock.instant();
    this.reader = new SourceStatus(source, SourceState.STARTING, null, null);
    meters.track(Arrays.stream(SourceState.values()).map(Enum::name).toList(),
        () -> reader.state().name(), this::lagSeconds);
  }

  /** The source's meters. */
  public SourceMeters meters() {
    return meters;
  }

  /**
   * Wall clock minus the last committed frontier, in seconds; NaN before the first commit and for a source whose
   * frontiers are no wall-clock times. A Materialize frontier is an {@code mz_timestamp}, milliseconds since the epoch.
   */
  public double lagSeconds() {
    Commit commit = lastCommit;
    if (commit == null || !wallClockFrontiers) {
      return Double.NaN;
    }
    return (clock.millis() - commit.frontier().doubleValue()) / 1000.0;
  }

  public String source() {
    return source;
  }

  public Duration grace() {
    return grace;
  }

  /** The reader's latest status. */
  public void readerStatus(SourceStatus status) {
    Objects.requireNonNull(status, "status");
    SourceState before = reader.state();
    reader = status;
    if (before == SourceState.RETRYING && status.state() == SourceState.CONNECTED) {
      meters.reconnected();
    }
  }

  public SourceStatus readerStatus() {
    return reader;
  }

  /** A frontier became durable; a failing commit streak (if any) is over. */
  public void committed(BigInteger frontier) {
    lastCommit = new Commit(frontier, clock.instant());
    commitFailure = null;
  }

  /** A commit failed and is being retried; the streak starts with the first failure. */
  public void commitFailed(String message) {
    Failure current = commitFailure;
    commitFailure = new Failure(String.valueOf(message), current == null ? clock.instant() : current.since());
  }

  /** The last committed frontier, if any since start. */
  public Optional<BigInteger> committedFrontier() {
    Commit commit = lastCommit;
    return commit == null ? Optional.empty() : Optional.of(commit.frontier());
  }

  /** When the last frontier was committed, if any since start. */
  public Optional<Instant> lastCommitAt() {
    Commit commit = lastCommit;
    return commit == null ? Optional.empty() : Optional.of(commit.at());
  }

  /** The failure of the commit being retried, if one is. */
  public Optional<String> commitFailure() {
    Failure failure = commitFailure;
    return failure == null ? Optional.empty() : Optional.of(failure.message());
  }

  /**
   * Why the source cannot make progress, or empty while it does: its reader is not connected or retrying, or no
   * frontier was committed for longer than the grace period (since start, or since the last commit).
   */
  /** Called (once per take-over) when this node's commits of the source are refused because another node took it. */
  public void onFenced(Runnable handler) {
    this.onFenced = java.util.Objects.requireNonNull(handler, "handler");
  }

  /** The evaluator's commit was fenced: another node owns the source now; this node must stop its unit. */
  public void fenced(String message) {
    commitFailed(message);
    onFenced.run();
  }

  public Optional<String> stall() {
    SourceStatus status = reader;
    if (!status.state().isLive()) {
      return Optional.of("source is " + status.state().name().toLowerCase(java.util.Locale.ROOT));
    }
    Commit commit = lastCommit;
    Instant lastProgress = commit == null ? startedAt : commit.at();
    Duration stalled = Duration.between(lastProgress, clock.instant());
    if (stalled.compareTo(grace) <= 0) {
      return Optional.empty();
    }
    String what = commit == null ? "no frontier committed since start " : "no frontier committed ";
    Failure failure = commitFailure;
    String cause;
    if (failure != null) {
      cause = "commits failing since " + failure.since() + ": " + failure.message();
    } else if (status.lastFailure() != null && status.state() == SourceState.RETRYING) {
      cause = "source retrying after " + status.lastFailure().kind().name().toLowerCase(java.util.Locale.ROOT)
          + " failure: " + status.lastFailure().message();
    } else {
      cause = "no progress from the source";
    }
    return Optional.of(what + "for " + stalled.toSeconds() + " s (grace " + grace.toSeconds() + " s): " + cause);
  }
}
