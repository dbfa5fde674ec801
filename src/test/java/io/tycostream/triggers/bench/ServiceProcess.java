package io.tycostream.triggers.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service as a child JVM, started as the Dockerfile starts it ({@code java -jar <fat jar> <config>},
 * default JVM flags unless {@code jvmArgs} adds some), killed with SIGKILL and started again on the same configuration
 * and data directory. Unlike {@code app.crash.ServiceJvm} (which trims the child's JIT and GC to keep a long crash
 * test cheap), the flags stay as deployed, because the start-up time is what this measures.
 * <p>
 * Every child ever started is registered so that {@link #killAll()} (the watchdog) can end it before the benchmark
 * JVM halts. Not thread-safe otherwise: drive it from the benchmark thread.
 */
final class ServiceProcess implements AutoCloseable {

  /** 128 + SIGKILL (9): the exit status of a process killed by SIGKILL. */
  static final int SIGKILL_EXIT = 137;
  private static final long EXIT_WAIT_SECONDS = 10;
  private static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();

  private final Path fatJar;
  private final Path config;
  private final Path workDir;
  private final Path logDir;
  private final List<String> jvmArgs;
  private final List<Path> logs = new ArrayList<>();
  private Process process;

  ServiceProcess(Path fatJar, Path config, Path workDir, Path logDir, List<String> jvmArgs) {
    this.fatJar = fatJar;
    this.config = config;
    this.workDir = workDir;
    this.logDir = logDir;
    this.jvmArgs = List.copyOf(jvmArgs);
  }

  /** Starts a new life; the previous one must have ended. Returns {@link System#nanoTime()} just before the fork. */
  long start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("the previous life is still running");
    }
    Files.createDirectories(logDir);
    Path log = logDir.resolve(String.format("service-%02d.log", logs.size()));
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmArgs);
    command.addAll(List.of("-Djava.io.tmpdir=" + Files.createDirectories(workDir.resolve("tmp")), "-jar",
        fatJar.toAbsolutePath().toString(), config.toAbsolutePath().toString()));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    // only the benchmark's configuration: an inherited TYCOSTREAM_* must not change what is measured
    builder.environment().keySet().removeIf(name -> name.startsWith("TYCOSTREAM_"));
    long startNanos = System.nanoTime();
    process = builder.start();
    CHILDREN.add(process);
    logs.add(log);
    return startNanos;
  }

  /** SIGKILL ({@link Process#destroyForcibly()} on Linux), then waits for the exit; returns the exit status. */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("pid " + process.pid() + " survived SIGKILL for " + EXIT_WAIT_SECONDS + " s");
    }
    CHILDREN.remove(process);
    return process.exitValue();
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The last {@code lines} lines of the current life's log, for failure messages. */
  String tail(int lines) {
    if (logs.isEmpty()) {
      return "(never started)";
    }
    try {
      // ISO-8859-1 reads any bytes, including a line a kill cut mid-character
      List<String> all = Files.readAllLines(logs.get(logs.size() - 1), StandardCharsets.ISO_8859_1);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    CHILDREN.remove(process);
  }

  /** Kills every child still running; for the watchdog, from any thread. */
  static void killAll() {
    CHILDREN.forEach(Process::destroyForcibly);
  }
}
