package io.tycostream.triggers.app.crash;

import io.tycostream.triggers.testkit.TestApiKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The service as a child JVM running the fat jar on one configuration file, started again and again: each
 * {@link #start()} begins a new life with its own log file ({@code service-NN.log}), {@link #kill()} ends the current
 * one with SIGKILL. The data directory and admin port live in the configuration, so every life shares them.
 * <p>
 * Not thread-safe: drive it from the test thread. Call {@link #destroy()} in a {@code finally}.
 */
public final class ServiceJvm implements AutoCloseable {

  /** 128 + SIGKILL (9): the exit status of a process killed by SIGKILL. */
  public static final int SIGKILL_EXIT = 137;

  private final Path fatJar;
  private final Path config;
  private final Path workDir;
  private final Path logDir;
  private final List<Path> logs = new ArrayList<>();
  private final List<Integer> killExits = new ArrayList<>();
  private final List<Instant> starts = new ArrayList<>();
  private Process process;

  /**
   * @param workDir working directory of the child; its {@code tmp} becomes the child's {@code java.io.tmpdir}
   * @param logDir  where each life's output goes
   */
  public ServiceJvm(Path fatJar, Path config, Path workDir, Path logDir) {
    this.fatJar = fatJar;
    this.config = config;
    this.workDir = workDir;
    this.logDir = logDir;
  }

  /** Starts a new life; the previous one must have ended. */
  public void start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("the previous life is still running");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Path tmp = Files.createDirectories(workDir.resolve("tmp"));
    Path log = logDir.resolve(String.format("service-%02d.log", logs.size()));
    // serial GC and C1 only: two cores are shared with the test JVM, and each life is short
    ProcessBuilder builder = new ProcessBuilder(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Djava.io.tmpdir=" + tmp, "-jar", fatJar.toString(), config.toString()))
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    // only the test's own settings: an inherited TYCOSTREAM_* must not change the configuration under test
    builder.environment().keySet().removeIf(name -> name.startsWith("TYCOSTREAM_"));
    // the admin key the test's clients present, through the documented environment override
    builder.environment().put("TYCOSTREAM_ADMIN__BOOTSTRAP_KEY", TestApiKeys.ADMIN);
    starts.add(Instant.now());
    process = builder.start();
    logs.add(log);
  }

  /**
   * Ends the current life with SIGKILL ({@link Process#destroyForcibly()} sends SIGKILL on Linux) and waits for it
   * to be gone.
   *
   * @return the exit status: {@value #SIGKILL_EXIT} when SIGKILL ended it, anything else when it had exited before
   */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("pid " + process.pid() + " survived SIGKILL for 10 s");
    }
    killExits.add(process.exitValue());
    return process.exitValue();
  }

  /** The pid of the current life. */
  public long pid() {
    return process.pid();
  }

  /** Sends a signal by name ({@code STOP}, {@code CONT}) to the current life with {@code kill -<name>}. */
  public void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The exit status of every {@link #kill()}, in order. */
  public List<Integer> killExits() {
    return List.copyOf(killExits);
  }

  /** When each life was started, in order. */
  public List<Instant> starts() {
    return List.copyOf(starts);
  }

  /** How many lives were started. */
  public int lives() {
    return logs.size();
  }

  /** Every life's log file, in order. */
  public List<Path> logs() {
    return List.copyOf(logs);
  }

  /** The last {@code lines} lines of the current life's log, for failure messages. */
  public String tail(int lines) {
    if (logs.isEmpty()) {
      return "(never started)";
    }
    try {
      List<String> all = Files.readAllLines(logs.get(logs.size() - 1), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** How many killed lives (all but the current one) logged a line containing {@code text}. */
  public long killedLivesThatLogged(String text) {
    return logs.subList(0, Math.max(0, logs.size() - 1)).stream().filter(log -> count(log, text) > 0).count();
  }

  /** Lines containing {@code text} over every life's log. */
  public long linesContaining(String text) {
    return logs.stream().mapToLong(log -> count(log, text)).sum();
  }

  private static long count(Path log, String text) {
    // ISO-8859-1 reads any bytes, including a line a kill cut mid-character
    try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
      return lines.filter(line -> line.contains(text)).count();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Kills the current life, if any, and waits for it briefly; safe to call at any time. */
  public void destroy() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    destroy();
  }
}
