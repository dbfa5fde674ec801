package io.tycostream.triggers.store;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outbox side of batch delivery (issue #11 item 8): which batch an event is sent in. A batch's membership is
 * written before its first POST ({@link #assign}) and kept through retries, restarts and replays, so the same events
 * go out together under the same batch id. Threading and failures as {@link Store}.
 */
public interface BatchOutbox {

  /**
   * Every <em>pending</em> event that shares a batch with one of {@code eventIds}, mapped to its batch id (the given
   * events included when they have one). Events without a batch are not in the map.
   */
  Future<Map<String, String>> pendingBatchMembers(Collection<String> eventIds);

  /**
   * Records {@code batchId} on each of {@code eventIds} that is pending and held by {@code claimer}, and moves their
   * lease end to {@code claimedUntilMs} (one fence for the whole batch), in one statement.
   *
   * @return how many events were written; fewer than {@code eventIds} means some claim was lost meanwhile
   */
  Future<Integer> assign(String batchId, List<String> eventIds, String claimer, long claimedUntilMs);

  /** The batch an event was (last) sent in, empty when it never was or does not exist. */
  Future<Optional<String>> batchOf(String eventId);
}
