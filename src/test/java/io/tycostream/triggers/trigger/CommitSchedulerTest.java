package io.tycostream.triggers.trigger;

import io.tycostream.triggers.config.MaterializeConfig;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.SourceType;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.ColumnType;
import io.tycostream.triggers.source.ResumePosition;
import io.tycostream.triggers.source.SourceCodecs;
import io.tycostream.triggers.source.SourceColumn;
import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.tycostream.triggers.store.StoredEvent;
import io.tycostream.triggers.store.TriggerStatus;
import io.tycostream.triggers.store.sqlite.SqliteStore;
import io.tycostream.triggers.store.sqlite.SqliteStoreOptions;
import io.tycostream.triggers.testkit.Blocking;
import io.tycostream.triggers.testkit.SourceUnits;
import io.tycostream.triggers.testkit.StoreProxies;
import io.tycostream.triggers.unit.SourceUnit;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies how the commit scheduler groups batches and that a failed commit loses nothing. Batches that queued while a
 * commit ran are committed together in one transaction, bounded by size, so with one change per Materialize timestamp
 * the commit rate is not the limit. And a failed commit loses nothing: a commit the store cannot take now is retried in place while the
 * source waits (a store failure is not a source failure), a commit refused for good makes the batches after it be
 * refused until the source resumes from the last durable checkpoint, and every event still arrives exactly once.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommitSchedulerTest {

  private static final SourceSchema SCHEMA = new SourceSchema(
      List.of(new SourceColumn("id", ColumnType.INTEGER, "int4")), List.of("id"));

  @TempDir
  Path dataDir;

  private Context context;

  /**
   * Verifies that commits failing with a store error (disk I/O) are retried until the store recovers: every event is
   * stored exactly once, the source never reconnects (its status records no failure), and the source's progress
   * reports the failing commits while they last.
   */
  @Test
  void failedCommitsAreRetriedWithoutGapsOrRepeatsAndWithoutFailingTheSource(Vertx vertx) {
    // GIVEN a store whose commits can be made to fail, a trigger on qty > 10, and a running pipeline
    SourceCodecs.register(vertx.eventBus());
    MaterializeEmulator emulator = await(MaterializeEmulator.start(vertx,
        new EmulatorOptions().setTickMs(20).setRetentionMs(600_000)));
    emulator.createTable("items", EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("qty", PgType.INT8));
    Store real = await(SqliteStore.open(vertx, new SqliteStoreOptions().setDataDirectory(dataDir),
        Clock.systemUTC()));
    AtomicBoolean failCommits = new AtomicBoolean();
    AtomicInteger failedCommits = new AtomicInteger();
    Store store = failingCommits(real, failCommits, failedCommits, StoreErrorCode.UNAVAILABLE);
    await(store.createTrigger(new NewTrigger("big", "items", "{\"name\":\"big\",\"source\":\"items\","
        + "\"webhook\":{\"url\":\"http://127.0.0.1:9/x\"},\"fire\":{\"qty\":{\"_gt\":10}}}",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")));
    SourceUnit unit = SourceUnits.unit(vertx, new SourceConfig("items", SourceType.MATERIALIZE, "items",
        List.of("id"), null, new MaterializeConfig("127.0.0.1", emulator.port(), "materialize", "materialize", null,
        null, "disable", null)), store);
    await(unit.start());
    awaitTrue(() -> await(store.getTrigger("big")).orElseThrow().status() == TriggerStatus.ACTIVE);

    // WHEN commits fail for a while as rows cross the threshold, and then succeed again
    List<Long> fired = new ArrayList<>();
    fired.add(emulator.insert("items", 1, 50L));
    failCommits.set(true);
    fired.add(emulator.insert("items", 2, 60L));
    fired.add(emulator.insert("items", 3, 70L));
    awaitTrue(() -> failedCommits.get() >= 2);
    assertThat(unit.progress().commitFailure()).hasValueSatisfying(failure -> assertThat(failure).contains("disk"));
    failCommits.set(false);
    fired.add(emulator.insert("items", 4, 80L));
    awaitTrue(() -> events(store).size() >= 4);

    // THEN each FIRE is stored exactly once, including those whose first commit failed
    assertThat(events(store)).extracting(e -> e.sourceTimestamp().longValue()).containsExactlyElementsOf(fired);
    assertThat(events(store)).extracting(StoredEvent::eventType).containsOnly("FIRE");
    // AND the source was never failed for it, and the failure streak is over
    assertThat(unit.progress().readerStatus().lastFailure()).isNull();
    assertThat(unit.progress().commitFailure()).isEmpty();
    await(unit.stop());
    await(emulator.stop());
  }

  /**
   * Verifies that after a commit refused for good the evaluator refuses the source's next batches until the source
   * asks where to resume: committing a later batch would move the checkpoint past the changes that were never
   * stored.
   */
  @Test
  void refusesBatchesAfterACommitRefusedForGoodUntilTheSourceResumes(Vertx vertx) {
    // GIVEN an evaluator over a store whose next commit is refused (not retryable)
    Store real = await(SqliteStore.open(vertx, new SqliteStoreOptions().setDataDirectory(dataDir),
        Clock.systemUTC()));
    AtomicBoolean failCommits = new AtomicBoolean(true);
    Store store = failingCommits(real, failCommits, new AtomicInteger(), StoreErrorCode.CONFLICT);
    context = vertx.getOrCreateContext();
    CommitScheduler evaluator = onContext(() -> scheduler(vertx, store));
    await(onContext(evaluator::resumePosition));

    // WHEN batch 1 fails to commit, the store recovers, and batch 2 of the same session arrives
    Future<Void> first = onContext(() -> evaluator.accept(batch(SCHEMA, 10, 11)));
    assertThat(first.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(10));
    failCommits.set(false);
    Future<Void> second = onContext(() -> evaluator.accept(batch(SCHEMA, 11, 12)));

    // THEN batch 2 is refused and the checkpoint did not move past batch 1's changes
    assertThat(second.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(10));
    assertThat(await(real.loadCheckpoint("items"))).isEmpty();

    // AND once the source asks where to resume, the replayed batch 1 is taken
    assertThat(await(onContext(evaluator::resumePosition))).isEqualTo(ResumePosition.snapshot());
    await(onContext(() -> evaluator.accept(batch(SCHEMA, 10, 12))));
    assertThat(await(real.loadCheckpoint("items"))).contains(BigInteger.valueOf(12));
  }

  /**
   * Verifies that when the source gives up on its hand-offs and asks where to resume, batches still queued are dropped
   * and the answer waits for the commit in progress: the replay then neither applies a change twice nor skips one.
   */
  @Test
  void resumeIsABarrierForStaleBatchesAndTheCommitInProgress(Vertx vertx) {
    // GIVEN an evaluator whose store holds commits until the test releases them
    Store real = await(SqliteStore.open(vertx, new SqliteStoreOptions().setDataDirectory(dataDir),
        Clock.systemUTC()));
    List<Promise<Void>> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    Store store = heldCommits(real, held);
    context = vertx.getOrCreateContext();
    CommitScheduler evaluator = onContext(() -> scheduler(vertx, store));
    await(onContext(evaluator::resumePosition));

    // WHEN batch 1 is being committed, batch 2 waits in the queue, and the source (timed out) asks where to resume
    Future<Void> first = onContext(() -> evaluator.accept(batch(SCHEMA, 10, 11)));
    awaitTrue(() -> held.size() == 1);
    Future<Void> second = onContext(() -> evaluator.accept(batch(SCHEMA, 11, 12)));
    Future<ResumePosition> resume = onContext(evaluator::resumePosition);

    // THEN batch 2 is dropped at once, and the answer comes only after batch 1's commit ended, including it
    assertThat(second.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(10));
    assertThat(resume.isComplete()).isFalse();
    held.get(0).complete();
    assertThat(await(first)).isNull();
    assertThat(await(resume)).isEqualTo(ResumePosition.after(BigInteger.valueOf(11)));
  }

  /**
   * Verifies that every batch that queued while a commit ran is taken by the next commit: with one change per
   * timestamp, 300 frontiers that arrived during one commit cost one more transaction, not 300.
   */
  @Test
  void batchesQueuedDuringACommitAreCommittedTogether(Vertx vertx) {
    // GIVEN an evaluator whose first commit is held by the store
    Store real = await(SqliteStore.open(vertx, new SqliteStoreOptions().setDataDirectory(dataDir),
        Clock.systemUTC()));
    List<Promise<Void>> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<BigInteger> committed = new java.util.concurrent.CopyOnWriteArrayList<>();
    Store store = recordedCommits(heldCommits(real, held), committed);
    context = vertx.getOrCreateContext();
    CommitScheduler evaluator = onContext(() -> scheduler(vertx, store));
    await(onContext(evaluator::resumePosition));
    List<Future<Void>> accepted = new ArrayList<>();
    accepted.add(onContext(() -> evaluator.accept(batch(SCHEMA, 10, 11))));
    awaitTrue(() -> held.size() == 1);

    // WHEN 300 single-change batches queue while it runs, and the store then takes commits at once
    for (long frontier = 12; frontier < 312; frontier++) {
      long at = frontier - 1;
      long closedBy = frontier;
      accepted.add(onContext(() -> evaluator.accept(batch(SCHEMA, at, closedBy))));
    }
    held.get(0).complete();
    awaitTrue(() -> held.size() == 2);
    held.get(1).complete();
    accepted.forEach(Blocking::await);

    // THEN the 300 queued batches were one commit, and the checkpoint is the last frontier
    assertThat(committed).containsExactly(BigInteger.valueOf(11), BigInteger.valueOf(311));
    assertThat(await(real.loadCheckpoint("items"))).contains(BigInteger.valueOf(311));
  }

  /**
   * Verifies that a group commit stops growing at {@link CommitScheduler#MAX_GROUP_CHANGES} changes, so one
   * transaction stays short, while a single bigger batch is still committed whole.
   */
  @Test
  void aGroupCommitIsBoundedBySize(Vertx vertx) {
    // GIVEN an evaluator whose first commit is held by the store
    Store real = await(SqliteStore.open(vertx, new SqliteStoreOptions().setDataDirectory(dataDir),
        Clock.systemUTC()));
    List<Promise<Void>> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<BigInteger> committed = new java.util.concurrent.CopyOnWriteArrayList<>();
    Store store = recordedCommits(heldCommits(real, held), committed);
    context = vertx.getOrCreateContext();
    CommitScheduler evaluator = onContext(() -> scheduler(vertx, store));
    await(onContext(evaluator::resumePosition));
    List<Future<Void>> accepted = new ArrayList<>();
    accepted.add(onContext(() -> evaluator.accept(batch(SCHEMA, 10, 11))));
    awaitTrue(() -> held.size() == 1);

    // WHEN batches of 40%, 40%, 40% and 120% of the bound queue while it runs
    int bound = CommitScheduler.MAX_GROUP_CHANGES;
    int[] sizes = {bound * 2 / 5, bound * 2 / 5, bound * 2 / 5, bound * 6 / 5};
    for (int i = 0; i < sizes.length; i++) {
      int rows = sizes[i];
      long frontier = 12 + i;
      accepted.add(onContext(() -> evaluator.accept(batch(SCHEMA, frontier - 1, frontier, rows))));
    }
    for (int released = 0; released < 4; released++) {
      int next = released;
      awaitTrue(() -> held.size() > next);
      held.get(next).complete();
    }
    accepted.forEach(Blocking::await);

    // THEN the first two queued batches were one commit, the third and the big one each their own
    assertThat(committed).containsExactly(BigInteger.valueOf(11), BigInteger.valueOf(13), BigInteger.valueOf(14),
        BigInteger.valueOf(15));
    assertThat(await(real.loadCheckpoint("items"))).contains(BigInteger.valueOf(15));
  }

  /** {@code store}, recording the frontier of each commit it took. */
  private static Store recordedCommits(Store store, List<BigInteger> committed) {
    return StoreProxies.interceptCommits(store, commit -> store.commit(commit)
        .onSuccess(v -> committed.add(commit.frontier())));
  }

  /** The real store, except that each {@code commit} waits for a promise the test completes. */
  private static Store heldCommits(Store real, List<Promise<Void>> held) {
    return StoreProxies.interceptCommits(real, commit -> {
      Promise<Void> release = Promise.promise();
      held.add(release);
      return release.future().compose(v -> real.commit(commit));
    });
  }

  private static ChangeBatch batch(SourceSchema schema, long changeAt, long frontier) {
    return batch(SCHEMA, changeAt, frontier, 1);
  }

  /** A batch of {@code rows} upserts (keys 1 to {@code rows}) at {@code changeAt}, closed by {@code frontier}. */
  private static ChangeBatch batch(SourceSchema schema, long changeAt, long frontier, int rows) {
    List<Change> changes = new ArrayList<>(rows);
    for (long id = 1; id <= rows; id++) {
      changes.add(Change.upsert(List.of(id), Map.of("id", id), BigInteger.valueOf(changeAt)));
    }
    return new ChangeBatch("items", BigInteger.valueOf(frontier), changes, false, schema);
  }

  /** Runs {@code action} on the test's event-loop context (the evaluator is confined to one) and returns its result. */
  private <T> T onContext(Supplier<T> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> promise.complete(action.get()));
    return await(promise.future());
  }

  private static List<StoredEvent> events(Store store) {
    return await(store.listEvents("big", null, 100)).stream()
        .sorted(Comparator.comparing(StoredEvent::sourceTimestamp))
        .toList();
  }

  /** A commit scheduler of source "items" over {@code store}; call on the test's context. */
  private CommitScheduler scheduler(Vertx vertx, Store store) {
    Slices slices = new Slices(context, Slices.DEFAULT_BUDGET);
    return new CommitScheduler(vertx, "items", store, new TriggerRegistry("items", store, slices), slices,
        SourceUnits.progress("items"), () -> { });
  }

  /** The real store, except that {@code commit} fails with {@code code} while {@code fail} is set. */
  private static Store failingCommits(Store real, AtomicBoolean fail, AtomicInteger failures, StoreErrorCode code) {
    return StoreProxies.interceptCommits(real, commit -> {
      if (!fail.get()) {
        return real.commit(commit);
      }
      failures.incrementAndGet();
      return Future.failedFuture(new StoreException(code, code == StoreErrorCode.UNAVAILABLE
          ? "disk I/O error (injected)" : "checkpoint moved back (injected)"));
    });
  }
}
