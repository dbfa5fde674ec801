package io.tycostream.triggers.trigger;

import java.util.Map;

/**
 * Read access to a trigger's committed matched-key state while a batch is evaluated. Called on the evaluating
 * thread only, synchronously; implementations are usually an in-memory map loaded from the store.
 */
@FunctionalInterface
public interface MatchedKeyLookup {

  /** No key is matched: a new trigger. */
  MatchedKeyLookup NONE = canonicalKey -> null;

  /** The state of the key whose {@link CanonicalKey#json} is {@code canonicalKey}, or {@code null} when not matched. */
  MatchedKeyState find(String canonicalKey);

  /** A lookup over a map keyed by canonical key. */
  static MatchedKeyLookup of(Map<String, MatchedKeyState> matchedByCanonicalKey) {
    return matchedByCanonicalKey::get;
  }
}
