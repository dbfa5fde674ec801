package io.tycostream.triggers.emulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One running subscribe (spec §10.3): picks the AS OF, then turns every frontier advance of its object into a batch
 * message and a progress message on its channel. The channel is read by one FETCH at a time.
 *
 * <p>Threading: all state is guarded by the catalog lock. The engine is fed under that lock by the catalog and read
 * under it by the session; {@code waker} must only schedule work on the session's context.
 */
final class SubscribeEngine {

  /** A message on the subscribe channel; rows are consumed in place so a partial batch stays in the portal. */
  static final class Message {
    final List<Object[]> rows;
    final PgException error;
    final boolean finished;
    int position;

    private Message(List<Object[]> rows, PgException error, boolean finished) {
      this.rows = rows;
      this.error = error;
      this.finished = finished;
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
    List<TimedUpdate> selected = new ArrayList<>();
    List<TimedUpdate> history = object.history;
    for (int i = lower < 0 ? 0 : firstAtOrAfter(history, lower); i < history.size(); i++) {
      TimedUpdate update = history.get(i);
      long t = update.time();
      if (t >= limit) {
        break;
      }
      if (lower < 0) {
        if (t <= asOf) {
          if (spec.snapshot()) {
            selected.add(new TimedUpdate(update.row(), asOf, update.diff()));
          }
        } else {
          selected.add(update);
        }
      } else if (t >= lower) {
        selected.add(update);
      }
    }
    lower = upper;
    List<Object[]> rows = output.format(selected);
    if (!rows.isEmpty()) {
      push(new Message(rows, null, false));
    }
    if (upTo != null && upper >= upTo) {
      finish();
      return;
    }
    if (spec.progress()) {
      push(new Message(List.<Object[]>of(output.progressRow(upper)), null, false));
    }
    long cap = catalog.options().getMaxBufferedRows();
    if (cap > 0 && bufferedRows > cap) {
      fail(new PgException("53200", "subscribe has fallen behind: buffered rows exceed " + cap));
      return;
    }
    waker.run();
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
