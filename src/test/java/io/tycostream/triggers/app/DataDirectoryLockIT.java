package io.tycostream.triggers.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies on the packaged fat jar that one data directory serves one service: a second service started on the
 * directory of a running one exits with the start-up failure code and one line naming the running one's pid, the
 * running one keeps serving, and once it is killed with SIGKILL a new service starts on the directory.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DataDirectoryLockIT {

  private static final Duration POLL_LIMIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killAll() throws InterruptedException {
    for (Process process : processes) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Verifies the refusal of a second service on a busy data directory and its release after SIGKILL. */
  @Test
  void refusesASecondServiceOnTheDataDirectoryUntilTheFirstIsGone() throws Exception {
    // GIVEN a service running on a data directory
    Path dataDir = dir.resolve("data");
    int firstPort = freePort();
    Process first = launch(config("first", dataDir, firstPort), "first");
    awaitLive(firstPort, first, "first");

    // WHEN a second service, on another admin port, is started on the same data directory
    int secondPort = freePort();
    Process second = launch(config("second", dataDir, secondPort), "second");

    // THEN it exits by itself with the start-up failure code and one line naming the directory and the first's pid
    assertThat(second.waitFor(20, TimeUnit.SECONDS)).as("second service exited").isTrue();
    assertThat(second.exitValue()).isEqualTo(Main.EXIT_STARTUP_FAILURE);
    String output = log("second");
    assertThat(output).contains("ERROR Main - start-up failed [cause: ")
        .contains("data directory " + dataDir.toRealPath() + " is in use by another tycostream-triggers process (pid "
            + first.pid() + ", since ")
        .contains("; one process per data directory");
    assertThat(output).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
    // AND the first keeps serving
    assertThat(get(firstPort, "/health/live").statusCode()).isEqualTo(200);

    // WHEN the first is killed with SIGKILL and a new service starts on the directory
    first.destroyForcibly();
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).as("first service killed").isTrue();
    Process third = launch(config("second", dataDir, secondPort), "third");

    // THEN it starts and is ready
    awaitLive(secondPort, third, "third");
    assertThat(get(secondPort, "/health/ready").statusCode()).isEqualTo(200);
  }

  private Path config(String name, Path dataDir, int port) throws IOException {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, """
        data_dir: %s
        admin:
          host: 127.0.0.1
          port: %d
        """.formatted(dataDir, port), StandardCharsets.UTF_8);
    return file;
  }

  private Process launch(Path config, String name) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    // serial GC and C1 only: two cores are shared with the test JVM and other builds
    ProcessBuilder builder = new ProcessBuilder(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Djava.io.tmpdir=" + tmp, "-jar", fatJar(), config.toString()))
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    // only the test's own variables: an inherited TYCOSTREAM_* must not change the configuration under test
    builder.environment().keySet().removeIf(variable -> variable.startsWith("TYCOSTREAM_"));
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private String log(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
  }

  private void awaitLive(int port, Process process, String name) throws Exception {
    long deadline = System.nanoTime() + POLL_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited early with " + process.exitValue() + ":\n" + log(name));
      }
      try {
        if (get(port, "/health/live").statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // the server is not up yet; poll again
      }
      Thread.sleep(50);
    }
    throw new AssertionError(name + " not live within " + POLL_LIMIT + ":\n" + log(name));
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(2)).GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static String fatJar() {
    String jar = System.getProperty("fatJar", "target/tycostream-triggers-fat.jar");
    assertThat(Path.of(jar)).as("fat jar (run after mvn package)").exists();
    return Path.of(jar).toAbsolutePath().toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
