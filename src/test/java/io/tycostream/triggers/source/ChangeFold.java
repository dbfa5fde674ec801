package io.tycostream.triggers.source;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test oracle for snapshots: the state a consumer holds after committing the batch with frontier {@code F}, built
 * by applying the recorded batches in order. Pure.
 */
public final class ChangeFold {

  private ChangeFold() {
  }

  /** One upsert stamped {@code F - 1} per key alive after every batch with frontier {@code <= F}. */
  public static List<Change> upTo(List<ChangeBatch> batches, BigInteger frontier) {
    Map<List<Object>, Map<String, Object>> state = new LinkedHashMap<>();
    for (ChangeBatch batch : batches) {
      if (batch.frontier().compareTo(frontier) > 0) {
        break;
      }
      for (Change change : batch.changes()) {
        if (change.deleted()) {
          state.remove(change.key());
        } else {
          state.put(change.key(), change.row());
        }
      }
    }
    BigInteger at = frontier.subtract(BigInteger.ONE);
    List<Change> rows = new ArrayList<>();
    state.forEach((key, row) -> rows.add(Change.upsert(key, row, at)));
    return rows;
  }
}
