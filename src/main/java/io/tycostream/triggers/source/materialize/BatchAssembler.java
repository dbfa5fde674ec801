package io.tycostream.triggers.source.materialize;

import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ResumePosition;
import io.tycostream.triggers.source.SourceSchema;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

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
  private BigInteger asOf;
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

  /**
   * Handles a progress row at {@code frontier}: the batches it closes, in order, or none when it closes nothing new.
   * <p>
   * The row that closes a snapshot may also close live changes after AS OF (one progress row can close several
   * timestamps): those are split off into a batch of their own, so the snapshot batch (closed at AS OF + 1) holds
   * exactly the state at AS OF and a consumer that takes it as a silent baseline does not swallow real changes.
   */
  public List<ChangeBatch> progress(BigInteger frontier, SourceSchema schema) {
    if (!sawAsOf) {
      sawAsOf = true;
      asOf = frontier;
      floor = floor == null ? frontier : floor.max(frontier);
      return List.of();
    }
    if (floor != null && frontier.compareTo(floor) <= 0) {
      return List.of();
    }
    List<ChangeBatch> batches = new ArrayList<>(2);
    if (snapshotPending) {
      BigInteger snapshotEnd = asOf.add(BigInteger.ONE);
      List<Change> snapshot = new ArrayList<>();
      List<Change> later = new ArrayList<>();
      for (Change change : unclosed) {
        (change.timestamp().compareTo(asOf) <= 0 ? snapshot : later).add(change);
      }
      batches.add(new ChangeBatch(source, snapshotEnd, snapshot, true, schema));
      if (frontier.compareTo(snapshotEnd) > 0) {
        batches.add(new ChangeBatch(source, frontier, later, false, schema));
      }
    } else {
      batches.add(new ChangeBatch(source, frontier, unclosed, false, schema));
    }
    floor = frontier;
    snapshotPending = false;
    unclosed = new ArrayList<>();
    return batches;
  }

  /** Rows buffered and not yet closed. */
  public int unclosedRows() {
    return unclosed.size();
  }
}
