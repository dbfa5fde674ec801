package io.tycostream.triggers.store;

import java.math.BigInteger;
import java.util.List;

/**
 * One page of a trigger's matched keys in key order, read in one snapshot with its source's checkpoint, so the page
 * is the state as of that committed frontier. Immutable.
 *
 * @param committedFrontier the source's durable frontier in the snapshot, {@code null} when it never committed
 * @param keys              the page's keys
 * @param lastKey           the last key of the page when more follow, else {@code null}
 */
public record MatchPage(BigInteger committedFrontier, List<MatchedKey> keys, String lastKey) {

  public MatchPage {
    keys = List.copyOf(keys);
  }
}
