package io.tycostream.triggers.store;

import java.util.List;
import java.util.Objects;

/**
 * One page of the trigger catalogue, in name order (keyset paging: the next page starts after the last name).
 *
 * @param triggers the triggers of this page, ordered by name
 * @param lastName the name the next page starts after, or {@code null} when this page is the last
 */
public record TriggerPage(List<StoredTrigger> triggers, String lastName) {

  public TriggerPage {
    triggers = List.copyOf(triggers);
  }

  /** Whether more triggers follow this page. */
  public boolean hasMore() {
    return lastName != null;
  }

  /** The page of {@code candidates} (in name order): at most {@code limit} of them, more following when cut. */
  public static TriggerPage of(List<StoredTrigger> candidates, int limit, boolean moreBeyondCandidates) {
    Objects.requireNonNull(candidates, "candidates");
    if (candidates.size() > limit) {
      List<StoredTrigger> page = candidates.subList(0, limit);
      return new TriggerPage(page, page.get(page.size() - 1).name());
    }
    return new TriggerPage(candidates, moreBeyondCandidates && !candidates.isEmpty()
        ? candidates.get(candidates.size() - 1).name() : null);
  }
}
