package io.tycostream.triggers.bus;

import java.time.Duration;

/**
 * Every event-bus address of the service and the send timeouts of the requests made to them.
 * <p>
 * The bus is best-effort RPC between verticles: every request has an explicit timeout and every consumer replies
 * (or fails the message, in the service's error shape). Nothing durable travels only on the bus. The reader and
 * the evaluator of one source unit talk over local consumers ({@link #batches}, {@link #resumePosition},
 * {@link #snapshot}); the other addresses may later cross a cluster.
 */
public final class BusAddresses {

  /**
   * How long a source waits for its consumer to take a batch before it treats the hand-off as failed. The evaluator
   * answers only after the batch is committed, and it retries a commit the store cannot take (busy, full, read-only):
   * generous, so a store hiccup pauses the source instead of failing it.
   */
  public static final Duration BATCH_ACCEPT_TIMEOUT = Duration.ofSeconds(120);
  /**
   * How long a source waits for its consumer to say where to resume. The evaluator answers once the commit in progress
   * has finished (so the checkpoint it reads includes it), which can take as long as a batch hand-off.
   */
  public static final Duration RESUME_POSITION_TIMEOUT = BATCH_ACCEPT_TIMEOUT;
  /** How long the health check waits for a source verticle to report its status. */
  public static final Duration SOURCE_STATUS_TIMEOUT = Duration.ofSeconds(2);

  /**
   * How long a baseline's fresh-snapshot request waits for its source's reader: generous, because a snapshot reads
   * the whole view; longer than the reader's own {@code snapshotTimeout}, so the source's classified failure normally
   * arrives first.
   */
  public static final Duration SOURCE_SNAPSHOT_TIMEOUT = Duration.ofSeconds(90);

  /**
   * Publish: JSON {@code {"name", "source", "change": "created"|"deleted"}} after the admin API changed a trigger in
   * the store. Best effort: listeners also re-read the store, so a lost message only delays.
   */
  public static final String TRIGGERS_CHANGED = "triggers.changed";

  /**
   * Publish: empty body, after a commit wrote outbox events, so delivery claims them at once. Best effort: delivery
   * also polls the store for due events.
   */
  public static final String DELIVERY_WAKE = "delivery.wake";

  /**
   * Request (local consumer), empty body: this node's delivery answers its circuit breakers as a JSON array (see
   * {@code delivery.BreakerStates}).
   */
  public static final String DELIVERY_BREAKERS = "delivery.breakers";

  /**
   * Request (local consumer), empty body: this node's delivery answers the rate limiters of its rate-limited triggers
   * as a JSON array (see {@code delivery.RateLimitStates}).
   */
  public static final String DELIVERY_RATE_LIMITS = "delivery.rate_limits";

  /**
   * How long the admin API waits for a source to tell its schema: the source answers from memory, so a short wait
   * is plenty; a source that does not answer in time is treated as not ready.
   */
  public static final Duration SOURCE_SCHEMA_TIMEOUT = Duration.ofSeconds(2);

  /**
   * Publish (local only): JSON {@code {"source", "state", "failure"}} on every state change of a source this node
   * runs, for the alerts. Local because only the node running a source may report its outages.
   */
  public static final String SOURCE_STATE_CHANGED = "source.state-changed";

  /**
   * Publish (local only): JSON {@code {"source", "checkpoint", "frontier", "events"}} after a source gap (lost
   * history) was reconciled and committed, for the alerts.
   */
  public static final String SOURCE_GAP_RECONCILED = "source.gap-reconciled";

  /**
   * Publish (local only): JSON {@code {"event_ids": [...]}} after dead-letter outcomes were written, for the alerts.
   * A hint: the alerts re-read each event and report only those the store holds as dead.
   */
  public static final String EVENTS_DEAD_LETTERED = "delivery.dead-lettered";

  /** Publish (local only): empty body, after alerts were stored, so the alert sender looks at once. */
  public static final String ALERTS_WAKE = "alerts.wake";

  private static final String SOURCE_PREFIX = "source.";

  private BusAddresses() {
  }

  /**
   * Request: a {@code ChangeBatch} of {@code source}; reply: empty once durably committed. Consumed locally by the
   * source unit's evaluator.
   */
  public static String batches(String source) {
    return SOURCE_PREFIX + source + ".batches";
  }

  /**
   * Request: empty; reply: the {@code ResumePosition} of {@code source}. Consumed locally by the source unit's
   * evaluator.
   */
  public static String resumePosition(String source) {
    return SOURCE_PREFIX + source + ".resume-position";
  }

  /** Request: empty; reply: the source's status and progress as JSON. Consumed by its reader verticle. */
  public static String status(String source) {
    return SOURCE_PREFIX + source + ".status";
  }

  /**
   * Request: the lowest acceptable frontier as a decimal string (or empty for the newest); reply: a fresh
   * {@code SourceSnapshot} of {@code source} (local codec), or a failure in the service's error shape. Consumed
   * locally by its reader verticle, for a trigger's baseline.
   */
  public static String snapshot(String source) {
    return SOURCE_PREFIX + source + ".snapshot";
  }

  /**
   * Publish (local only): a {@code CommittedChanges} (local codec) after each durable commit of {@code source}: its
   * changes and frontier, for the {@code deliver_if} gates of other sources' evaluators on this node (#11). A hint:
   * a listener that misses one re-reads a fresh snapshot.
   */
  public static String committedChanges(String source) {
    return SOURCE_PREFIX + source + ".committed";
  }

  /**
   * Request: empty; reply: the {@code SourceSchema} of {@code source} (local codec), as seen in the last batch the
   * source handed over, or a {@code source_not_ready} failure before its first batch. Consumed by its reader
   * verticle.
   */
  public static String sourceSchema(String source) {
    return SOURCE_PREFIX + source + ".schema";
  }
}
