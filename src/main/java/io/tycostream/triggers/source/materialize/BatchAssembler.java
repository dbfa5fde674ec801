package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ResumePosition;
import io.tycostream.triggers.source.SourceSchema;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Groups the rows of one subscription into {@link ChangeBatch}es, one per progress row (design.md §3.1). Not
 * thread-safe: one instance per connection, used on the reader's context.
 * <p>
 * Rules (materialize-subscribe.md §4.4): the first progress row is the AS OF and closes nothing; a progress row at or
 * below the resume frontier or the previous batch's frontier is ignored; every later progress row closes a batch,
 * even an empty one, so the consumer can advance its checkpoint. After a {@code SNAPSHOT = true} subscribe the first
 * batch is flagged {@code snapshot}.
 * <p>
 * Memory: unclosed rows are held until their progress row arrives; a snapshot is a single batch and may span many
 * FETCHes, so it must fit in memory. More than {@code maxUnclosedRows} unclosed rows is a
 * {@link SubscribeOutputException} rather than unbounded growth.
 */
final class BatchAssembler {

  private final String source;
  private final int maxUnclosedRows;
  private BigInteger floor;
  private boolean sawAsOf;
  private boolean snapshotPending;
  private List<Change> unclosed = new ArrayList<>();

  public BatchAssembler(String source, ResumePosition position, int maxUnclosedRows) {
    this.source = source;
    this.maxUnclosedRows = maxUnclosedRows;
    this.floor = position.frontier().orElse(null);
    this.snapshotPending = position.isSnapshot();
  }

  /** Buffers a change until a progress row closes it. */
  public void add(Change change) {
    if (unclosed.size() >= maxUnclosedRows) {
      throw new SubscribeOutputException("more than " + maxUnclosedRows + " rows not closed by a progress row"
          + " (raise maxUnclosedRows if the snapshot is legitimately this large)");
    }
    unclosed.add(change);
  }

  /** Handles a progress row at {@code frontier}: the closed batch, or empty when the row closes nothing new. */
  public Optional<ChangeBatch> progress(BigInteger frontier, SourceSchema schema) {
    if (!sawAsOf) {
      sawAsOf = true;
      floor = floor == null ? frontier : floor.max(frontier);
      return Optional.empty();
    }
    if (floor != null && frontier.compareTo(floor) <= 0) {
      return Optional.empty();
    }
    ChangeBatch batch = new ChangeBatch(source, frontier, unclosed, snapshotPending, schema);
    floor = frontier;
    snapshotPending = false;
    unclosed = new ArrayList<>();
    return Optional.of(batch);
  }

  /** Rows buffered and not yet closed. */
  public int unclosedRows() {
    return unclosed.size();
  }
}
