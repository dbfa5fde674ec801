package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.Store;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.store.StoreFixture.await;
import static io.tycostream.triggers.store.sqlite.SqliteStoreFixture.count;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteCrashRecoveryTest {

  private static final int COMMITS_BEFORE_KILL = 30;

  @TempDir
  Path dir;

  /** Verifies that after SIGKILL mid-stream the file holds whole commits only, up to at least the last reported. */
  @Test
  void killedWriterLeavesOnlyWholeCommits(Vertx vertx) throws Exception {
    // GIVEN a child process committing in a loop into the test's data directory
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), CommitLoopMain.class.getName(),
      dir.resolve("data").toString())
      .redirectErrorStream(true)
      .start();
    int lastReported;
    try {
      lastReported = readUntilKilled(child);
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(lastReported).isEqualTo(COMMITS_BEFORE_KILL);

    // THEN the reopened file holds exactly the commits up to its checkpoint: events, state and checkpoint agree
    Store store = SqliteStoreFixture.open(vertx, dir);
    BigInteger checkpoint = await(store.loadCheckpoint("positions")).orElseThrow();
    Map<String, String> state = await(store.loadMatchedState("t1"));
    await(store.close());
    System.out.println("killed after commit " + lastReported + " was reported; checkpoint on reopen: " + checkpoint);
    assertThat(checkpoint.intValue()).isGreaterThanOrEqualTo(lastReported);
    assertThat(count(dir, "events")).isEqualTo((long) checkpoint.intValue() * CommitLoopMain.EVENTS_PER_COMMIT);
    assertThat(state).isEqualTo(Map.of("[\"k\"]", "{\"n\":" + checkpoint + "}"));
  }

  /** Reads the child's reports until it has committed enough, then kills it (SIGKILL on Linux). */
  private static int readUntilKilled(Process child) throws Exception {
    int lastReported = 0;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
      StandardCharsets.UTF_8))) {
      String line;
      while (lastReported < COMMITS_BEFORE_KILL && (line = out.readLine()) != null) {
        if (line.startsWith("committed ")) {
          lastReported = Integer.parseInt(line.substring("committed ".length()));
        }
      }
      // WHEN it is killed with SIGKILL while still committing
      child.destroyForcibly();
    }
    return lastReported;
  }
}
