package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.SourceCommit;
import io.tycostream.triggers.store.StateChange;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.testkit.TestMasterKeys;
import io.vertx.core.Vertx;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A child process for {@link SqliteCrashRecoveryTest}: commits forever (bounded by a maximum) so the test can kill it
 * with SIGKILL at an arbitrary point. Commit {@code n} has frontier {@code n}, {@value #EVENTS_PER_COMMIT} events
 * and moves the single matched key of trigger {@code t1} to row {@code n}. Prints {@code committed n} after each.
 */
public final class CommitLoopMain {

  static final int EVENTS_PER_COMMIT = 100;
  private static final int MAX_COMMITS = 100_000;

  private CommitLoopMain() {
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    Store store = SqliteStore.open(vertx, new SqliteStoreOptions().setDataDirectory(Path.of(args[0]))
        .setSecretCipher(TestMasterKeys.cipher()),
      Clock.systemUTC()).await();
    store.createTrigger(new NewTrigger("t1", "positions", "{}", "s")).await();
    for (int n = 1; n <= MAX_COMMITS; n++) {
      List<NewEvent> events = new ArrayList<>(EVENTS_PER_COMMIT);
      for (int i = 0; i < EVENTS_PER_COMMIT; i++) {
        events.add(new NewEvent(n + "-" + i, "t1", "FIRE", BigInteger.valueOf(n - 1), "[" + i + "]", "{}"));
      }
      store.commit(SourceCommit.of("positions", BigInteger.valueOf(n), events,
        List.of(StateChange.matched("t1", "[\"k\"]", "{\"n\":" + n + "}")))).await();
      System.out.println("committed " + n);
    }
    vertx.close().await();
  }
}
