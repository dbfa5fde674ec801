package io.tycostream.triggers.testkit;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An independent reference model of one trigger over rows {@code (id, qty)}: FIRE when an unmatched key's
 * {@code qty > fireAbove}; a matched key stays matched while {@code qty > fireAbove} or (with a clear threshold)
 * {@code qty >= clearBelow}, else CLEARs; a deleted matched key CLEARs. It starts from a baseline at frontier
 * {@code B}: every write below {@code B} is folded into the starting state (silently, or with a FIRE stamped
 * {@code B - 1} per matching key when {@code includeSnapshot}), every write at or after {@code B} is an event
 * candidate. Written plainly from the contract (design.md §1, §3.5), sharing no code with the product.
 */
public final class ThresholdModel {

  /** One write to the table: {@code qty == null} deletes the key. */
  public record Write(long timestamp, int id, Long qty) {
  }

  /** One expected event. */
  public record Event(String type, int id, long timestamp) {
  }

  private final long fireAbove;
  private final Long clearBelow;

  /**
   * @param clearBelow {@code null} for a trigger without a clear condition
   */
  public ThresholdModel(long fireAbove, Long clearBelow) {
    this.fireAbove = fireAbove;
    this.clearBelow = clearBelow;
  }

  /** The events of a trigger baselined at {@code baselineFrontier}, in timestamp order. */
  public List<Event> events(List<Write> writes, BigInteger baselineFrontier, boolean includeSnapshot) {
    long boundary = baselineFrontier.longValueExact();
    List<Write> ordered = new ArrayList<>(writes);
    ordered.sort(Comparator.comparingLong(Write::timestamp));
    Map<Integer, Long> table = new HashMap<>();
    int index = 0;
    for (; index < ordered.size() && ordered.get(index).timestamp() < boundary; index++) {
      Write write = ordered.get(index);
      if (write.qty() == null) {
        table.remove(write.id());
      } else {
        table.put(write.id(), write.qty());
      }
    }
    Set<Integer> matched = new HashSet<>();
    List<Event> events = new ArrayList<>();
    table.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
      if (entry.getValue() > fireAbove) {
        matched.add(entry.getKey());
        if (includeSnapshot) {
          events.add(new Event("FIRE", entry.getKey(), boundary - 1));
        }
      }
    });
    for (; index < ordered.size(); index++) {
      Write write = ordered.get(index);
      boolean wasMatched = matched.contains(write.id());
      if (write.qty() == null) {
        if (wasMatched) {
          matched.remove(write.id());
          events.add(new Event("CLEAR", write.id(), write.timestamp()));
        }
      } else if (!wasMatched && write.qty() > fireAbove) {
        matched.add(write.id());
        events.add(new Event("FIRE", write.id(), write.timestamp()));
      } else if (wasMatched && !(write.qty() > fireAbove || (clearBelow != null && write.qty() >= clearBelow))) {
        matched.remove(write.id());
        events.add(new Event("CLEAR", write.id(), write.timestamp()));
      }
    }
    return events;
  }
}
