package io.tycostream.triggers.source;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * Every change of one source at source times strictly below {@code frontier}, closed by a progress row.
 * <p>
 * Batches of one source are emitted in frontier order and never overlap; applying each batch as a whole, in order,
 * and recording {@code frontier} with it atomically is what makes resume exact (design.md §3.1–3.3). Changes are
 * in source-time order; one key may appear several times at different times.
 *
 * @param source   the configured source name
 * @param frontier the progress frontier {@code F}: every change has {@code timestamp < F}
 * @param changes  the changes, in timestamp order
 * @param snapshot {@code true} when this batch holds the initial snapshot of a subscription (all rows at AS OF)
 * @param schema   the source's discovered schema the rows conform to
 */
public record ChangeBatch(String source, BigInteger frontier, List<Change> changes, boolean snapshot,
                          SourceSchema schema) {

  public ChangeBatch {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(frontier, "frontier");
    Objects.requireNonNull(schema, "schema");
    changes = List.copyOf(changes);
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }
}
