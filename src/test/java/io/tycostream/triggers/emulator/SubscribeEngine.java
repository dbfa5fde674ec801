package io.tycostream.triggers.emulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * One running subscribe (spec §10.3): picks the AS OF, then turns every frontier advance of its object into a batch
 * message and a progress message on its channel. The channel is read by one FETCH at a time.
 *
 * <p>Threading: all state is guarded by the catalog lock. The engine is fed under that lock by the catalog and read
 * under it by the session; {@code waker} must only schedule work on the session's context.
 *
 * <p>Holding the lock briefly: under it the engine only copies the slice of history a frontier advance covers. A
 * large batch (a big snapshot) is consolidated and formatted on the catalog's formatter thread, outside the lock,
 * behind a placeholder message that keeps its place on the channel; a FETCH sees the placeholder as "nothing yet"
 * until it is filled, as it would a batch Materialize is still producing. Other objects' writes and other sessions'
 * FETCHes therefore never wait for a big snapshot.
 */
final class SubscribeEngine {

  /** Batches of up to this many updates are formatted under the lock, larger ones on the formatter thread. */
  static final int INLINE_FORMAT_LIMIT = 1_000;

  /** A message on the subscribe channel; rows are consumed in place so a partial batch stays in the portal. */
  static final class Message {
    List<Object[]> rows;
    final PgException error;
    final boolean finished;
    /** A batch still being formatted: holds its place on the channel, not readable yet. */
    boolean pending;
    int position;

    private Message(List<Object[]> rows, PgException error, boolean finished) {
      this.rows = rows;
      this.error = error;
      this.finished = finished;
    }

    static Message pendingBatch() {
      Message message = new Message(List.of(), null, false);
      message.pending = true;
      return message;
    }

    int remaining() { return rows == null ? 0 : rows.size() - position; }
  }

  private final Catalog catalog;
  private final EmulatedObject object;
  private final SubscribeSpec spec;
  private final SubscribeOutput output;
  private final Runnable waker;
  private final Deque<Message> channel = new ArrayDeque<>();
  private long asOf;
  private Long upTo;
  /** Every time below this has been turned into output (or dropped); -1 until the first batch. */
  private long lower = -1;
  private boolean running;
  private long bufferedRows;

  SubscribeEngine(Catalog catalog, EmulatedObject object, SubscribeSpec spec, SubscribeOutput output, Runnable waker) {
    this.catalog = catalog;
    this.object = object;
    this.spec = spec;
    this.output = output;
    this.waker = waker;
  }

  /** Selects the timestamp, validates it and registers the engine; errors are the ones of the first FETCH. */
  void start() {
    synchronized (catalog) {
      if (object.dropped) {
        throw catalog.droppedError("relation", object.qualifiedName());
      }
      if (catalog.clusterDropped()) {
        throw new PgException("42704", "unknown cluster '" + catalog.options().getCluster() + "'");
      }
      if (object.dataflowFailure != null) {
        throw new PgException("XX000", object.dataflowFailure);
      }
      long since = catalog.sinceOf(object);
      if (spec.asOf() == null) {
        asOf = Math.max(object.frontier - 1, since);
      } else if (spec.asOfAtLeast()) {
        asOf = Math.max(spec.asOf(), since);
      } else {
        asOf = spec.asOf();
        if (asOf < since) {
          throw historyLost(since);
        }
      }
      upTo = spec.upTo();
      if (upTo != null && upTo < asOf) {
        throw new PgException("22000", "subscription lower (\"as of\") bound is beyond its upper (\"up to\") bound: "
            + upTo + " < " + asOf);
      }
      running = true;
      if (upTo != null && upTo == asOf) {
        finish();
        return;
      }
      object.engines.add(this);
      if (spec.progress()) {
        push(new Message(List.<Object[]>of(output.progressRow(asOf)), null, false));
      }
      onFrontier(object.frontier);
    }
  }

  private PgException historyLost(long since) {
    if (catalog.profile() == ErrorProfile.LEGACY) {
      return new PgException("XX000", "Timestamp (" + asOf + ") is not valid for all inputs: [Antichain { elements: ["
          + since + "] }]");
    }
    return new PgException("22000", "could not find a valid timestamp for the query");
  }

  /** Called under the catalog lock when the object's frontier moved to {@code upper}. */
  void onFrontier(long upper) {
    if (!running || upper <= asOf || upper <= lower) {
      return;
    }
    long limit = upTo == null ? upper : Math.min(upper, upTo);
    boolean initial = lower < 0;
    List<TimedUpdate> history = object.history;
    int from = initial ? 0 : firstAtOrAfter(history, lower);
    int to = Math.max(from, firstAtOrAfter(history, limit));
    // history only grows by appends and its entries are immutable, so a copy of the slice is safe to read unlocked
    List<TimedUpdate> slice = new ArrayList<>(history.subList(from, to));
    lower = upper;
    if (slice.size() <= INLINE_FORMAT_LIMIT) {
      List<Object[]> rows = rows(slice, initial);
      if (!rows.isEmpty()) {
        push(new Message(rows, null, false));
      }
    } else {
      Message placeholder = Message.pendingBatch();
      push(placeholder);
      try {
        catalog.formatter().execute(() -> fill(placeholder, rows(slice, initial)));
      } catch (RejectedExecutionException stopped) {
        // the emulator is stopping: format here rather than lose the batch
        fill(placeholder, rows(slice, initial));
      }
    }
    if (upTo != null && upper >= upTo) {
      finish();
      return;
    }
    if (spec.progress()) {
      push(new Message(List.<Object[]>of(output.progressRow(upper)), null, false));
    }
    if (!checkBufferCap()) {
      return;
    }
    waker.run();
  }

  /**
   * The output rows of a slice of history: on the first batch, times up to the AS OF are the snapshot (stamped AS
   * OF, or dropped without SNAPSHOT), later times are live changes. Pure: runs under the lock or on the formatter.
   */
  private List<Object[]> rows(List<TimedUpdate> slice, boolean initial) {
    List<TimedUpdate> selected = new ArrayList<>(slice.size());
    for (TimedUpdate update : slice) {
      if (!initial || update.time() > asOf) {
        selected.add(update);
      } else if (spec.snapshot()) {
        selected.add(new TimedUpdate(update.row(), asOf, update.diff()));
      }
    }
    return output.format(selected);
  }

  /** Formatter thread: puts the rows into their placeholder and wakes the FETCH, unless the subscribe ended. */
  private void fill(Message placeholder, List<Object[]> rows) {
    synchronized (catalog) {
      if (!channel.contains(placeholder)) {
        return;
      }
      placeholder.pending = false;
      if (rows.isEmpty()) {
        channel.remove(placeholder);
      } else {
        placeholder.rows = rows;
        bufferedRows += rows.size();
      }
      if (checkBufferCap()) {
        waker.run();
      }
    }
  }

  /** Fails the subscribe with 53200 once the buffer exceeds the cap; whether it is still within. */
  private boolean checkBufferCap() {
    long cap = catalog.options().getMaxBufferedRows();
    if (cap > 0 && bufferedRows > cap) {
      fail(new PgException("53200", "subscribe has fallen behind: buffered rows exceed " + cap));
      return false;
    }
    return true;
  }

  /** History is appended in time order (writes land at or above the upper), so a binary search finds the start. */
  private static int firstAtOrAfter(List<TimedUpdate> history, long time) {
    int low = 0;
    int high = history.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (history.get(mid).time() < time) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  private void push(Message message) {
    channel.addLast(message);
    bufferedRows += message.remaining();
  }

  private void finish() {
    running = false;
    object.engines.remove(this);
    channel.addLast(new Message(null, null, true));
    waker.run();
  }

  /** Ends the subscribe with an error message on the channel (rows already queued stay readable before it). */
  void fail(PgException error) {
    synchronized (catalog) {
      if (!running) {
        return;
      }
      running = false;
      object.engines.remove(this);
      channel.addLast(new Message(null, error, false));
      waker.run();
    }
  }

  /** Stops the subscribe and drops its buffer (CLOSE, COMMIT, ROLLBACK, disconnect). */
  void close() {
    synchronized (catalog) {
      running = false;
      object.engines.remove(this);
      channel.clear();
      bufferedRows = 0;
    }
  }

  /** Head of the channel or null; the caller holds the catalog lock. */
  Message peek() {
    return channel.peekFirst();
  }

  /** Removes {@code count} rows from the head message, dropping it when exhausted. */
  void consume(Message head, int count) {
    head.position += count;
    bufferedRows -= count;
    if (head.rows == null || head.remaining() == 0) {
      if (!head.finished) {
        channel.pollFirst();
      }
    }
  }

  /** Read hold: this subscribe still needs times from here on. */
  long hold() {
    return lower < 0 ? asOf : Math.max(asOf, lower - 1);
  }

  SubscribeOutput output() { return output; }

  Catalog catalog() { return catalog; }
}
