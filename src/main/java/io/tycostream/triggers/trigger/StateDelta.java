package io.tycostream.triggers.trigger;

import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * The changes a batch makes to one trigger's matched-key state, to be written in the same store transaction as its
 * events and the source checkpoint. Both collections are keyed by {@link CanonicalKey#json}; a key is in at most
 * one of them. Immutable: the collections are read-only views, never copied (a baseline's delta can hold every
 * key of a large view), so callers hand over collections they no longer change.
 *
 * @param upserts  keys newly matched, or still matched with a new last row
 * @param removals keys that were matched in the committed state and are no longer
 */
public record StateDelta(Map<String, MatchedKeyState> upserts, Set<String> removals) {

  public StateDelta {
    upserts = Collections.unmodifiableMap(upserts);
    removals = Collections.unmodifiableSet(removals);
  }

  public boolean isEmpty() {
    return upserts.isEmpty() && removals.isEmpty();
  }
}
