package io.tycostream.triggers.emulator;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One FETCH on a subscribe cursor with Materialize's wait semantics (spec §2.1, §10.4): without a timeout it waits
 * for the first message carrying rows and then returns what is immediately available; with a timeout it collects
 * until the count is reached, the deadline passes or the stream has finished. Rows are written batch by batch as
 * they are taken; rows beyond the count stay on the engine's channel.
 *
 * <p>Threading: runs on the session's event loop; {@link #wake()} and {@link #cancel} must be called there too.
 */
final class FetchOperation {

  private final Vertx vertx;
  private final SubscribeEngine engine;
  private final long count;
  private final Long timeoutMs;
  private final int[] formats;
  private final Consumer<Buffer> writer;
  private final boolean untilFinished;
  private final Promise<Long> promise = Promise.promise();
  private long sent;
  private boolean gotRows;
  private boolean expired;
  private long timerId = -1;

  FetchOperation(Vertx vertx, SubscribeEngine engine, long count, Long timeoutMs, int[] formats,
                 Consumer<Buffer> writer) {
    this(vertx, engine, count, timeoutMs, formats, writer, false);
  }

  /** With {@code untilFinished}, streams every row until the subscribe ends (plain SUBSCRIBE). */
  FetchOperation(Vertx vertx, SubscribeEngine engine, long count, Long timeoutMs, int[] formats,
                 Consumer<Buffer> writer, boolean untilFinished) {
    this.untilFinished = untilFinished;
    this.vertx = vertx;
    this.engine = engine;
    this.count = count;
    this.timeoutMs = timeoutMs;
    this.formats = formats;
    this.writer = writer;
  }

  /** Starts the FETCH; the future yields the number of rows sent or fails with the error to report. */
  Future<Long> run() {
    if (count == 0) {
      promise.complete(0L);
      return promise.future();
    }
    if (timeoutMs != null) {
      expired = timeoutMs == 0;
      if (timeoutMs > 0) {
        timerId = vertx.setTimer(timeoutMs, id -> {
          timerId = -1;
          expired = true;
          wake();
        });
      }
    }
    wake();
    return promise.future();
  }

  /** Re-examines the channel: new messages arrived, or the deadline passed. */
  void wake() {
    if (promise.future().isComplete()) {
      return;
    }
    // take rows under the catalog lock, encode them after it: the lock is the whole emulator's
    List<List<Object[]>> batches = new ArrayList<>();
    PgException error = null;
    boolean finished = false;
    synchronized (engine.catalog()) {
      while (sent < count) {
        SubscribeEngine.Message head = engine.peek();
        if (head == null || head.pending) {
          break;
        }
        if (head.error != null) {
          engine.consume(head, 0);
          error = head.error;
          break;
        }
        if (head.finished) {
          finished = true;
          break;
        }
        int take = (int) Math.min(head.remaining(), count - sent);
        batches.add(List.copyOf(head.rows.subList(head.position, head.position + take)));
        engine.consume(head, take);
        sent += take;
        gotRows |= take > 0;
      }
    }
    List<OutputColumn> columns = engine.output().columns();
    for (List<Object[]> rows : batches) {
      Buffer batch = Buffer.buffer();
      for (Object[] row : rows) {
        BackendMessages.dataRow(batch, columns, row, formats);
      }
      writer.accept(batch);
    }
    if (error != null) {
      finish();
      promise.fail(error);
    } else if (sent >= count || finished || (timeoutMs == null && gotRows && !untilFinished)
        || (timeoutMs != null && expired)) {
      finish();
      promise.complete(sent);
    }
  }

  /** Ends a waiting FETCH with 57014, as a CancelRequest does. */
  void cancel() {
    if (!promise.future().isComplete()) {
      finish();
      promise.fail(new PgException("57014", "canceling statement due to user request"));
    }
  }

  /** Abandons the FETCH without reporting (connection gone). */
  void abandon() {
    finish();
  }

  private void finish() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
