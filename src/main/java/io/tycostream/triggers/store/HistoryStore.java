package io.tycostream.triggers.store;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

/**
 * Reads of what triggers did and hold: their event history in pages, their activity totals, their matched keys.
 * Threading and failures as {@link Store}.
 */
public interface HistoryStore {

  /**
   * One page of a trigger's events, newest first (keyset paging on {@link EventPage.Position}): only the page is read,
   * however long the history. Fewer than {@code limit} events, or a {@code null} {@link EventPage#next()}, means the
   * history ends there.
   */
  Future<EventPage> listEvents(EventQuery query);

  /**
   * The activity of each named trigger, in one statement; triggers without any activity (or unknown) get
   * {@link TriggerActivity#none}.
   */
  Future<Map<String, TriggerActivity>> activityOf(List<String> triggerNames);

  /**
   * One page of a trigger's matched keys, after {@code afterKey} ({@code null} for the first page), with the
   * committed frontier of its {@code source}, both read in one snapshot.
   */
  Future<MatchPage> listMatches(String triggerName, String source, String afterKey, int limit);
}
