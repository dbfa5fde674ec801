package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.tycostream.triggers.store.StoreFixture;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.store.StoreFixture.await;
import static io.tycostream.triggers.store.StoreFixture.failureOf;
import static io.tycostream.triggers.store.StoreFixture.trigger;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies that one data directory serves one process: a second store on it is refused with a message naming the
 * directory and the holder's pid, in this JVM and from another process, and the directory is free again once the
 * holder closes its store or is killed.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SqliteDataDirectoryLockTest {

  @TempDir
  Path dir;

  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildren() throws InterruptedException {
    for (Process child : children) {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Verifies that a second store on an open data directory in the same process is refused, and the first works on. */
  @Test
  void refusesASecondStoreOnTheSameDirectoryInThisProcess(Vertx vertx) throws IOException {
    // GIVEN a store open on the data directory
    Store first = SqliteStoreFixture.open(vertx, dir);

    // WHEN a second store is opened on it
    Throwable refused = failureOf(SqliteStore.open(vertx, SqliteStoreFixture.options(dir), StoreFixture.CLOCK));

    // THEN it is refused, naming the directory and this process
    assertThat(refused).isInstanceOf(StoreException.class);
    assertThat(((StoreException) refused).storeCode()).isEqualTo(StoreErrorCode.UNAVAILABLE);
    assertThat(refused.getMessage()).isEqualTo("data directory " + dataDir().toRealPath()
        + " is already open in this process (pid " + ProcessHandle.current().pid() + "); one store per data directory");
    // AND the first store still writes
    await(first.createTrigger(trigger("still_mine")));
    assertThat(await(first.getTrigger("still_mine"))).isPresent();
    await(first.close());
  }

  /** Verifies that a closed store frees its directory: the next open works and sees the data. */
  @Test
  void reopensAfterClose(Vertx vertx) {
    // GIVEN a store that wrote a trigger, refused a second opener, and was closed
    Store first = SqliteStoreFixture.open(vertx, dir);
    await(first.createTrigger(trigger("kept")));
    failureOf(SqliteStore.open(vertx, SqliteStoreFixture.options(dir), StoreFixture.CLOCK));
    await(first.close());

    // WHEN the directory is opened again
    Store second = SqliteStoreFixture.open(vertx, dir);

    // THEN it opens and holds the data
    assertThat(await(second.getTrigger("kept"))).isPresent();
    await(second.close());
    // the lock file stays: deleting it would let a waiting opener and a newcomer lock two different files
    assertThat(dataDir().resolve(DataDirectoryLock.FILE_NAME)).exists();
  }

  /** Verifies that a directory held by another process is refused with that process's pid, until it is killed. */
  @Test
  void refusesADirectoryHeldByAnotherProcessUntilItIsKilled(Vertx vertx) throws Exception {
    // GIVEN another process holding a store on the data directory
    Process holder = startChild("hold");
    assertThat(report(holder)).isEqualTo("opened");

    // WHEN this process opens the directory
    Throwable refused = failureOf(SqliteStore.open(vertx, SqliteStoreFixture.options(dir), StoreFixture.CLOCK));

    // THEN it is refused, naming the directory and the holder's pid
    assertThat(refused).isInstanceOf(StoreException.class);
    assertThat(refused.getMessage())
        .startsWith("data directory " + dataDir().toRealPath() + " is in use by another tycostream-triggers process "
            + "(pid " + holder.pid() + ", since ")
        .endsWith("); one process per data directory");

    // WHEN the holder is killed with SIGKILL
    holder.destroyForcibly();
    assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();

    // THEN the directory opens
    await(SqliteStoreFixture.open(vertx, dir).close());
  }

  /** Verifies that a refused opener in the holder's own JVM does not release the holder's lock for others. */
  @Test
  void aRefusedOpenerLeavesTheHolderLocked(Vertx vertx) throws Exception {
    // GIVEN a store open in this process and a second opener here that was refused
    Store first = SqliteStoreFixture.open(vertx, dir);
    failureOf(SqliteStore.open(vertx, SqliteStoreFixture.options(dir), StoreFixture.CLOCK));

    // WHEN another process opens the directory
    Process other = startChild("try");

    // THEN it is refused too: the refused opener did not drop this process's lock
    assertThat(report(other)).startsWith("refused: data directory " + dataDir().toRealPath()
        + " is in use by another tycostream-triggers process (pid " + ProcessHandle.current().pid() + ", since ");
    await(first.close());

    // AND once the store is closed, another process opens it and closes it cleanly
    Process after = startChild("try");
    assertThat(report(after)).isEqualTo("opened");
    assertThat(after.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(after.exitValue()).isZero();
  }

  private Path dataDir() {
    return SqliteStoreFixture.options(dir).getDataDirectory();
  }

  private Process startChild(String mode) throws IOException {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmp,
        "-cp", System.getProperty("java.class.path"), DataDirectoryHolderMain.class.getName(),
        dataDir().toString(), mode)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    children.add(child);
    return child;
  }

  /**
   * The child's first report on stdout ({@code opened} or {@code refused: …}), skipping its log lines. Blocks the
   * JUnit thread until the child reports or exits; the class timeout bounds it.
   */
  private static String report(Process child) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.equals("opened") || line.startsWith("refused: ")) {
        return line;
      }
    }
    return "(exited without a report)";
  }
}
