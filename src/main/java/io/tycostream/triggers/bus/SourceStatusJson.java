package io.tycostream.triggers.bus;

import io.tycostream.triggers.source.SourceFailure;
import io.tycostream.triggers.source.SourceState;
import io.tycostream.triggers.source.SourceStatus;
import io.vertx.core.json.JsonObject;

/**
 * The JSON form of a {@link SourceStatus}, as replied on {@link BusAddresses#status(String)} and shown by the
 * health endpoints. Frontiers are decimal strings: they are 64-bit unsigned and JSON numbers would round them.
 */
public final class SourceStatusJson {

  public static final String SOURCE = "source";
  public static final String STATE = "state";
  public static final String LIVE = "live";
  public static final String LAST_FRONTIER = "last_frontier";
  public static final String LAST_FAILURE = "last_failure";

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

  /** Whether a status in this JSON form counts as ready (connected or retrying). */
  public static boolean isLive(JsonObject json) {
    String state = json.getString(STATE);
    return state != null && SourceState.valueOf(state).isLive();
  }
}
