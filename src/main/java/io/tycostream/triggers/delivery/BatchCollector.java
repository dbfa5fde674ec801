package io.tycostream.triggers.delivery;

import io.tycostream.triggers.definition.BatchSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Gathers the claimed events of batched triggers into batches, by the rules of their {@link BatchSpec}:
 * <ul>
 *   <li><b>Fresh events</b> (never sent in a batch) of a trigger wait together, in claim order. A batch of
 *       {@code max_events} leaves as soon as that many are held; fewer leave once the oldest has been due for
 *       {@code max_wait} and no further event of the trigger arrived for {@link #SETTLE_MS}, or for
 *       {@link #BACKLOG_SETTLE_MS} while the last claim came back full (so a backlog that is still being claimed fills
 *       whole batches instead of leaving in claim-sized pieces).</li>
 *   <li><b>Events already sent in a batch</b> (a retry, a restart, a replay: the store remembers their batch) wait for
 *       the other pending members of that batch and leave together as soon as all are held, whatever
 *       {@code max_events} says now. If some never come (claimed elsewhere), those held leave once the oldest has
 *       waited {@code max_wait}, as a batch of their own.</li>
 * </ul>
 * Which events leave together is decided here; their batch id follows from them ({@link EventBatch#idOf}).
 * <p>
 * Pure: time comes in as arguments. Not thread-safe: used on the delivery verticle's event loop only.
 */
final class BatchCollector {

  /** How long a group whose wait is over must go without new events before it leaves short. */
  static final long SETTLE_MS = 10;
  /** The same while more is due in the outbox (the last claim came back full). */
  static final long BACKLOG_SETTLE_MS = 100;

  private final Map<String, Group> groups = new LinkedHashMap<>();
  private int held;

  /** One gathering: a trigger's fresh events, or the held members of one earlier batch. */
  private static final class Group {
    private final BatchSpec spec;
    /** The pending members of the earlier batch, {@code null} for fresh events. */
    private final Set<String> expected;
    private final List<ClaimedEvent> events = new ArrayList<>();
    private long oldestDueMs = Long.MAX_VALUE;
    private long lastOfferMs;

    Group(BatchSpec spec, Set<String> expected) {
      this.spec = spec;
      this.expected = expected;
    }

    long leaveShortAtMs(boolean moreDue) {
      long waited = oldestDueMs + spec.maxWait().toMillis();
      return Math.max(waited, lastOfferMs + (moreDue ? BACKLOG_SETTLE_MS : SETTLE_MS));
    }

    boolean complete() {
      if (expected == null) {
        return false;
      }
      Set<String> ids = new HashSet<>();
      events.forEach(event -> ids.add(event.event().eventId()));
      return ids.containsAll(expected);
    }
  }

  /**
   * Holds a claimed event of a batched trigger.
   *
   * @param spec            the trigger's batch rules ({@code claimed.endpoint().batch()})
   * @param earlierBatch    the batch the store says it was sent in, or {@code null} for a fresh event
   * @param earlierPending  the pending members of {@code earlierBatch} (this event included); ignored when fresh
   */
  void offer(ClaimedEvent claimed, BatchSpec spec, String earlierBatch, Set<String> earlierPending, long nowMs) {
    Objects.requireNonNull(spec, "spec");
    String trigger = claimed.event().triggerName();
    String key = earlierBatch == null ? trigger : trigger + '\u0000' + earlierBatch;
    Group group = groups.computeIfAbsent(key, ignored -> new Group(spec,
        earlierBatch == null ? null : Set.copyOf(earlierPending)));
    group.events.add(claimed);
    group.oldestDueMs = Math.min(group.oldestDueMs, claimed.event().nextAttemptAtMs());
    group.lastOfferMs = nowMs;
    held++;
  }

  /**
   * The batches that leave now, each a list of claimed events of one trigger (any order).
   *
   * @param moreDue whether more events are due in the outbox than the last claim took (it came back full)
   */
  List<List<ClaimedEvent>> due(long nowMs, boolean moreDue) {
    List<List<ClaimedEvent>> leaving = new ArrayList<>();
    Iterator<Group> all = groups.values().iterator();
    while (all.hasNext()) {
      Group group = all.next();
      if (group.expected != null) {
        if (group.complete() || nowMs >= group.leaveShortAtMs(moreDue)) {
          leaving.add(List.copyOf(group.events));
          held -= group.events.size();
          all.remove();
        }
        continue;
      }
      int max = group.spec.maxEvents();
      while (group.events.size() >= max) {
        List<ClaimedEvent> head = group.events.subList(0, max);
        leaving.add(List.copyOf(head));
        head.clear();
        held -= max;
        group.oldestDueMs = group.events.stream().mapToLong(event -> event.event().nextAttemptAtMs()).min()
            .orElse(Long.MAX_VALUE);
      }
      if (!group.events.isEmpty() && nowMs >= group.leaveShortAtMs(moreDue)) {
        leaving.add(List.copyOf(group.events));
        held -= group.events.size();
        group.events.clear();
      }
      if (group.events.isEmpty()) {
        all.remove();
      }
    }
    return leaving;
  }

  /** When {@link #due} next has something to give if nothing else arrives; empty when nothing is held. */
  OptionalLong nextDueAt(boolean moreDue) {
    return groups.values().stream().mapToLong(group -> group.leaveShortAtMs(moreDue)).min();
  }

  /** Events held. */
  int held() {
    return held;
  }

  /** Gatherings in progress (each will leave as at least one batch). */
  int groups() {
    return groups.size();
  }

  /** Removes and returns every held event (a stop hands them back). */
  List<ClaimedEvent> drain() {
    List<ClaimedEvent> all = new ArrayList<>(held);
    groups.values().forEach(group -> all.addAll(group.events));
    groups.clear();
    held = 0;
    return all;
  }
}
