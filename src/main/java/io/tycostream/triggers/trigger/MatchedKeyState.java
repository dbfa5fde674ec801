package io.tycostream.triggers.trigger;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The state of one key that a trigger currently considers matched (it FIRED and has not CLEARed yet), with its
 * last known row: the row a CLEAR carries when the key is deleted. Keys that are not matched have no state, so the
 * state of a trigger grows with its matches, not with the view.
 * <p>
 * Immutable. Identified in the store by {@link CanonicalKey#json} of {@code key} ({@link #canonicalKey()}).
 *
 * @param key     the key column values, in key order
 * @param lastRow the last row seen for the key while matched
 */
public record MatchedKeyState(List<Object> key, Map<String, Object> lastRow) {

  public MatchedKeyState {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(lastRow, "lastRow");
  }

  public String canonicalKey() {
    return CanonicalKey.json(key);
  }
}
