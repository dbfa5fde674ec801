package io.tycostream.triggers.app.crash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * An independent reference model of what the service must send for a list of changes, written plainly from the
 * contract (design.md §1) and sharing no code with the product's {@code trigger/} package.
 * <p>
 * Per trigger and key, changes are applied in timestamp order: a key that is not matched and whose new row satisfies
 * {@code fire} FIREs with that row; a matched key stays matched while {@code fire} holds or {@code clear} does not
 * (with no {@code clear}: while {@code fire} holds), otherwise it CLEARs with the new row; deleting a matched key CLEARs
 * with its last row. The event id is the first 32 hex characters of SHA-256 of
 * {@code <trigger>:[<id>]:<mz_timestamp>}. Not thread-safe; use from one thread.
 */
public final class ReferenceTriggers {

  /**
   * One trigger's conditions as plain Java predicates over a row.
   *
   * @param clear {@code null} when the trigger has no clear condition
   */
  public record Rule(String name, Predicate<PositionRow> fire, Predicate<PositionRow> clear) {

    public Rule {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(fire, "fire");
    }

    boolean staysMatched(PositionRow row) {
      return fire.test(row) || (clear != null && !clear.test(row));
    }
  }

  private final List<Rule> rules;

  public ReferenceTriggers(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Every event the changes produce, keyed by event id, in timestamp order. */
  public Map<String, ExpectedEvent> expectedEvents(List<PositionChange> changes) {
    List<PositionChange> ordered = new ArrayList<>(changes);
    ordered.sort(Comparator.comparingLong(PositionChange::mzTimestamp));
    Map<String, ExpectedEvent> events = new LinkedHashMap<>();
    for (Rule rule : rules) {
      // matched keys with their last row; an absent key is not matched
      Map<Integer, PositionRow> matched = new HashMap<>();
      for (PositionChange change : ordered) {
        ExpectedEvent event = apply(rule, matched, change);
        if (event != null && events.put(event.eventId(), event) != null) {
          throw new IllegalStateException("two expected events share the id " + event.eventId());
        }
      }
    }
    return events;
  }

  private static ExpectedEvent apply(Rule rule, Map<Integer, PositionRow> matched, PositionChange change) {
    PositionRow last = matched.get(change.id());
    PositionRow row = change.after();
    if (row == null) {
      if (last == null) {
        return null;
      }
      matched.remove(change.id());
      return event(rule, "CLEAR", change, last);
    }
    if (last == null) {
      if (!rule.fire().test(row)) {
        return null;
      }
      matched.put(change.id(), row);
      return event(rule, "FIRE", change, row);
    }
    if (rule.staysMatched(row)) {
      matched.put(change.id(), row);
      return null;
    }
    matched.remove(change.id());
    return event(rule, "CLEAR", change, row);
  }

  private static ExpectedEvent event(Rule rule, String type, PositionChange change, PositionRow row) {
    return new ExpectedEvent(eventId(rule.name(), change.id(), change.mzTimestamp()), type, rule.name(),
        change.mzTimestamp(), row);
  }

  /** The documented event id for a single integer key {@code id}: sha256("trigger:[id]:timestamp"), 32 hex. */
  public static String eventId(String trigger, int id, long mzTimestamp) {
    String input = trigger + ":[" + id + "]:" + mzTimestamp;
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(32);
      for (int i = 0; i < 16; i++) {
        hex.append(String.format("%02x", hash[i] & 0xff));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
