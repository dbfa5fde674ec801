package io.tycostream.triggers.source.materialize;

import io.vertx.pgclient.PgConnectOptions;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How one {@link SubscribeReader} connects, subscribes, fetches and retries. Every default is a named constant.
 * Not thread-safe: configure it before handing it to the reader, which only reads it.
 */
public class SubscribeOptions {

  /** Rows per {@code FETCH}. */
  public static final int DEFAULT_FETCH_SIZE = 1000;
  /**
   * No FETCH timeout: each data FETCH waits for the first available row (data or progress) and returns it with
   * whatever else is ready at once (Materialize's WaitOnce, materialize-subscribe.md §2.1), so a committed change
   * reaches the consumer within milliseconds. Progress rows (about one a second) keep such a FETCH returning; a
   * FETCH that never returns is caught by {@code stallTimeout}.
   * <p>
   * A set timeout ({@code FETCH … WITH (timeout = …)}) collects rows until {@code fetchSize} are ready or the timeout
   * passes, so below that rate every change waits up to the timeout before it is seen (p99 ≈ the timeout).
   */
  public static final Duration DEFAULT_FETCH_TIMEOUT = null;
  /**
   * Under load (a FETCH without timeout returned at least {@link #DEFAULT_COALESCE_ABOVE_ROWS} rows), the next one
   * waits this long for more rows (or {@code fetchSize} of them): a high change rate is then read in a few hundred
   * round trips a second instead of one per Materialize timestamp, for at most this much extra latency. A quiet
   * stream never waits.
   */
  public static final Duration DEFAULT_COALESCE_DELAY = Duration.ofMillis(5);
  /** Rows returned by one FETCH from which the reader counts as under load (see {@link #DEFAULT_COALESCE_DELAY}). */
  public static final int DEFAULT_COALESCE_ABOVE_ROWS = 16;
  /** First reconnect delay; doubled on each consecutive failure. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
  /** Upper bound of the reconnect delay for transient failures. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  /** Delay between attempts after a failure that is not expected to heal quickly (view dropped, fatal errors). */
  public static final Duration DEFAULT_SLOW_RETRY = Duration.ofSeconds(30);
  /**
   * Batches handed to the consumer and not yet completed before the reader stops fetching. The evaluator commits all
   * batches that queued while its previous commit ran in one transaction, so this bounds how many frontiers one
   * commit can take: with one change per Materialize timestamp every frontier is a batch, and a small bound would
   * make the commit rate, not the store, the limit (a few batches each cost little memory). 512 single-change
   * frontiers are about 100 ms of a 5,000 changes/s stream.
   */
  public static final int DEFAULT_MAX_PENDING_BATCHES = 512;
  /** While paused for a slow consumer, a {@code FETCH 0} is sent this often to keep the session alive. */
  public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(20);
  /**
   * Rows buffered while no progress row has closed them yet. A snapshot is one batch, so it must fit: the bound
   * turns an unexpectedly huge batch into a reported failure instead of an out-of-memory crash.
   */
  public static final int DEFAULT_MAX_UNCLOSED_ROWS = 1_000_000;
  /**
   * How long a statement may go unanswered (beyond the FETCH timeout, if one is set) before the connection counts as
   * dead or the stream as stalled. A waiting FETCH normally returns on the next progress row, about once a second.
   */
  public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(30);
  /**
   * How long connecting may take, TCP connect, TLS and the startup handshake together, before the attempt fails as
   * transient and its half-open connection is closed (a silent network partition would otherwise hang it).
   */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /**
   * The fixed delay before re-subscribing after the consumer refused a batch or its resume position: store trouble
   * is not a Materialize failure, so it neither grows the reconnect back-off nor shows as a source failure.
   */
  public static final Duration DEFAULT_CONSUMER_RETRY_DELAY = Duration.ofSeconds(1);
  /**
   * How long {@code stop()} waits for the cancelled FETCH, {@code CLOSE} and {@code ROLLBACK} before it closes the
   * connection anyway.
   */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(2);

  /**
   * How long one {@link SubscribeReader#snapshotAt snapshot} or {@link SubscribeReader#snapshotAtLeast fresh snapshot}
   * may take in total (connect, subscribe, read every row) before it fails and its connection is closed.
   */
  public static final Duration DEFAULT_SNAPSHOT_TIMEOUT = Duration.ofSeconds(60);

  private String source;
  private PgConnectOptions connectOptions = new PgConnectOptions();
  private String view;
  private List<String> keyColumns = List.of();
  private int fetchSize = DEFAULT_FETCH_SIZE;
  private Duration fetchTimeout = DEFAULT_FETCH_TIMEOUT;
  private Duration coalesceDelay = DEFAULT_COALESCE_DELAY;
  private int coalesceAboveRows = DEFAULT_COALESCE_ABOVE_ROWS;
  private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
  private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
  private Duration slowRetry = DEFAULT_SLOW_RETRY;
  private int maxPendingBatches = DEFAULT_MAX_PENDING_BATCHES;
  private Duration keepAliveInterval = DEFAULT_KEEP_ALIVE_INTERVAL;
  private int maxUnclosedRows = DEFAULT_MAX_UNCLOSED_ROWS;
  private Duration stallTimeout = DEFAULT_STALL_TIMEOUT;
  private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
  private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  private Duration consumerRetryDelay = DEFAULT_CONSUMER_RETRY_DELAY;
  private Duration snapshotTimeout = DEFAULT_SNAPSHOT_TIMEOUT;

  public String getSource() { return source; }
  public SubscribeOptions setSource(String source) { this.source = source; return this; }

  public PgConnectOptions getConnectOptions() { return connectOptions; }
  public SubscribeOptions setConnectOptions(PgConnectOptions connectOptions) {
    this.connectOptions = Objects.requireNonNull(connectOptions, "connectOptions");
    return this;
  }

  /** The view (or table, source, materialized view) to subscribe to, as a SQL identifier. */
  public String getView() { return view; }
  public SubscribeOptions setView(String view) { this.view = view; return this; }

  /** The key columns for {@code ENVELOPE UPSERT (KEY (…))}, in key order. */
  public List<String> getKeyColumns() { return keyColumns; }
  public SubscribeOptions setKeyColumns(List<String> keyColumns) { this.keyColumns = List.copyOf(keyColumns); return this; }

  public int getFetchSize() { return fetchSize; }
  public SubscribeOptions setFetchSize(int fetchSize) { this.fetchSize = fetchSize; return this; }

  /** The FETCH timeout, or {@code null} (the default) for a FETCH that waits for the first available row. */
  public Duration getFetchTimeout() { return fetchTimeout; }
  public SubscribeOptions setFetchTimeout(Duration fetchTimeout) { this.fetchTimeout = fetchTimeout; return this; }

  public Duration getCoalesceDelay() { return coalesceDelay; }
  /** {@link Duration#ZERO} turns coalescing off: every FETCH returns as soon as a row is there. */
  public SubscribeOptions setCoalesceDelay(Duration coalesceDelay) { this.coalesceDelay = coalesceDelay; return this; }

  public int getCoalesceAboveRows() { return coalesceAboveRows; }
  public SubscribeOptions setCoalesceAboveRows(int coalesceAboveRows) {
    this.coalesceAboveRows = coalesceAboveRows;
    return this;
  }

  public Duration getInitialBackoff() { return initialBackoff; }
  public SubscribeOptions setInitialBackoff(Duration initialBackoff) { this.initialBackoff = initialBackoff; return this; }

  public Duration getMaxBackoff() { return maxBackoff; }
  public SubscribeOptions setMaxBackoff(Duration maxBackoff) { this.maxBackoff = maxBackoff; return this; }

  public Duration getSlowRetry() { return slowRetry; }
  public SubscribeOptions setSlowRetry(Duration slowRetry) { this.slowRetry = slowRetry; return this; }

  public int getMaxPendingBatches() { return maxPendingBatches; }
  public SubscribeOptions setMaxPendingBatches(int maxPendingBatches) { this.maxPendingBatches = maxPendingBatches; return this; }

  public Duration getKeepAliveInterval() { return keepAliveInterval; }
  public SubscribeOptions setKeepAliveInterval(Duration keepAliveInterval) { this.keepAliveInterval = keepAliveInterval; return this; }

  public int getMaxUnclosedRows() { return maxUnclosedRows; }
  public SubscribeOptions setMaxUnclosedRows(int maxUnclosedRows) { this.maxUnclosedRows = maxUnclosedRows; return this; }

  public Duration getStallTimeout() { return stallTimeout; }
  public SubscribeOptions setStallTimeout(Duration stallTimeout) { this.stallTimeout = stallTimeout; return this; }

  public Duration getCloseTimeout() { return closeTimeout; }
  public SubscribeOptions setCloseTimeout(Duration closeTimeout) { this.closeTimeout = closeTimeout; return this; }

  public Duration getConnectTimeout() { return connectTimeout; }
  public SubscribeOptions setConnectTimeout(Duration connectTimeout) { this.connectTimeout = connectTimeout; return this; }

  public Duration getConsumerRetryDelay() { return consumerRetryDelay; }
  public SubscribeOptions setConsumerRetryDelay(Duration consumerRetryDelay) { this.consumerRetryDelay = consumerRetryDelay; return this; }

  public Duration getSnapshotTimeout() { return snapshotTimeout; }
  public SubscribeOptions setSnapshotTimeout(Duration snapshotTimeout) { this.snapshotTimeout = snapshotTimeout; return this; }
}
