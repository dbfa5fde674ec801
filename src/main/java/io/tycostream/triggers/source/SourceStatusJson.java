package io.tycostream.triggers.source;

import io.vertx.core.json.JsonObject;

/**
 * The JSON form of a source's {@link SourceProgress} (its reader's {@link SourceStatus} and its commits), as replied
 * on the source's status address and shown by the health endpoints. Frontiers are decimal strings: they are 64-bit
 * unsigned and JSON numbers would round them.
 */
public final class SourceStatusJson {

  public static final String SOURCE = "source";
  public static final String STATE = "state";
  public static final String LIVE = "live";
  public static final String LAST_FRONTIER = "last_frontier";
  public static final String LAST_FAILURE = "last_failure";
  public static final String READY = "ready";
  public static final String REASON = "reason";
  public static final String COMMITTED_FRONTIER = "committed_frontier";
  public static final String LAST_COMMIT_AT = "last_commit_at";
  public static final String COMMIT_FAILURE = "commit_failure";

  private SourceStatusJson() {
  }

  public static JsonObject toJson(SourceStatus status) {
    JsonObject json = new JsonObject()
        .put(SOURCE, status.source())
        .put(STATE, status.state().name())
        .put(LIVE, status.state().isLive())
        .put(LAST_FRONTIER, status.lastFrontier() == null ? null : status.lastFrontier().toString());
    SourceFailure failure = status.lastFailure();
    json.put(LAST_FAILURE, failure == null ? null : new JsonObject()
        .put("kind", failure.kind().name())
        .put("sql_state", failure.sqlState())
        .put("message", failure.message())
        .put("at", failure.at().toString()));
    return json;
  }

  /**
   * The reader's status with the commit progress: {@code ready} (and, when not, the {@code reason}), the
   * {@code committed_frontier} and {@code last_commit_at}, and the {@code commit_failure} being retried.
   */
  public static JsonObject toJson(SourceProgress progress) {
    JsonObject json = toJson(progress.readerStatus());
    java.util.Optional<String> stall = progress.stall();
    return json
        .put(READY, stall.isEmpty())
        .put(REASON, stall.orElse(null))
        .put(COMMITTED_FRONTIER, progress.committedFrontier().map(Object::toString).orElse(null))
        .put(LAST_COMMIT_AT, progress.lastCommitAt().map(Object::toString).orElse(null))
        .put(COMMIT_FAILURE, progress.commitFailure().orElse(null));
  }

  /** Whether a status in this JSON form counts as ready. */
  public static boolean isReady(JsonObject json) {
    return Boolean.TRUE.equals(json.getBoolean(READY));
  }
}
