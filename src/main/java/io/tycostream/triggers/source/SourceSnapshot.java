package io.tycostream.triggers.source;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * The full contents of a source as of a frontier {@code F}: every row after applying all changes at times
 * {@code < F}, which is exactly the state a consumer holds after committing the batch with frontier {@code F}
 * (design.md §3.4: the baseline of a trigger created on a running source). Immutable.
 *
 * @param source   the configured source name
 * @param frontier the frontier {@code F} the snapshot is taken at
 * @param rows     one {@link Change#upsert upsert} per live key, each stamped {@code F - 1}; no deletes, no key twice
 * @param schema   the source's schema the rows conform to
 */
public record SourceSnapshot(String source, BigInteger frontier, List<Change> rows, SourceSchema schema) {

  public SourceSnapshot {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(frontier, "frontier");
    Objects.requireNonNull(schema, "schema");
    rows = List.copyOf(rows);
  }
}
